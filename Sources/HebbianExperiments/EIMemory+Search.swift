import Hebbian

extension EIMemory {
  public typealias SearchResult = CapacitySearchResult<Coefficients>

  /// The search score of a curve: the area under the fraction retrieved (m ≥ 0.9, started at
  /// the pattern) against the load, Σ_k R(α_k)(α_k − α_{k−1}) with α_0 = 0. For a curve that
  /// drops from 1 to 0 at α_c it equals α_c, and unlike an interpolated crossing it is
  /// smooth in the coefficients.
  public static func score(_ points: [CapacityPoint]) -> Double {
    var area = 0.0, previous = 0.0
    for p in points {
      area += p.retrieved * (p.load - previous)
      previous = p.load
    }
    return area
  }

  /// A seeded search over the plasticity coefficients, the inhibitory gain γ and the
  /// threshold θ₀ (c_EE = 1 fixes the scale), maximising ``score(_:)`` over the loads
  /// (P/N_E, increasing). After the start, a grid of λ = 6 points along the coordinate that
  /// matters most, c_EI ∈ {⅓, ⅔, …, 2} (θ₀ ∈ {f/3, …, 2f} without inhibitory neurons), the
  /// others kept at the start's values; then a (1+λ) evolution strategy from the best point
  /// so far: each child moves every coordinate with probability ½ (at least one) by a
  /// Gaussian step with per-coordinate scales (c_EI, c_IE: 0.5; c_II, γ: 0.25; θ₀: f/4) times
  /// σ, clipped to the box c_EI ∈ [0, 3], c_IE ∈ [−3, 3], c_II ∈ [0, 3], γ ∈ [0, 2],
  /// θ₀ ∈ [−f, 2f]; σ starts at ½, grows by 1.5 after a generation that improved and shrinks
  /// by 0.6 otherwise. Every point is scored on the same pattern sets (common random
  /// numbers), so comparisons between points are not blurred by sampling noise. With
  /// `inhibitory == 0` only θ₀ is searched: the excitatory-only baseline, tuned with the
  /// same budget.
  public static func search(
    excitatory: Int, inhibitory: Int, loads: [Double], evaluations: Int = 25, trials: Int = 1,
    probes: Int = 10, start: Coefficients = Coefficients(), seed: UInt64 = 1
  ) throws(HebbianError) -> SearchResult {
    let counts = try SearchResult.patternCounts(
      loads, neurons: excitatory, "EIMemory.search", countLabel: "load x N")
    var memory = try EIMemory(
      excitatory: excitatory, inhibitory: inhibitory, capacity: counts[counts.count - 1],
      coefficients: start, seed: seed)
    let f = start.codingLevel
    var first = start
    if inhibitory == 0 {
      first.inhibitoryToExcitatory = 0
      first.excitatoryToInhibitory = 0
      first.inhibitoryToInhibitory = 0
      first.inhibitoryGain = 0
    }
    let ff = Float(f)
    return try SearchResult.run(
      &memory, start: first, patternCounts: counts, codingLevel: f, evaluations: evaluations,
      trials: trials, probes: probes, seed: seed, set: { $0.coefficients = $1 },
      grid: { k, lambda in
        var c = first
        if inhibitory > 0 {
          c.inhibitoryToExcitatory = Float(2 * k) / Float(lambda)
        } else {
          c.threshold = Float(2 * k) * ff / Float(lambda)
        }
        return c
      },
      mutate: { parent, sigma, rng in
        var c = parent
        let dims = inhibitory > 0 ? 5 : 1
        let forced = Int(rng.next() % UInt64(dims))
        func step(_ v: Float, _ d: Int, _ scale: Double, _ lo: Float, _ hi: Float) -> Float {
          if d != forced && rng.next() & 1 == 0 { return v }
          return min(max(v + Float(sigma * scale * rng.gaussian()), lo), hi)
        }
        c.threshold = step(c.threshold, 0, f / 4, -ff, 2 * ff)
        if inhibitory > 0 {
          c.inhibitoryToExcitatory = step(c.inhibitoryToExcitatory, 1, 0.5, 0, 3)
          c.excitatoryToInhibitory = step(c.excitatoryToInhibitory, 2, 0.5, -3, 3)
          c.inhibitoryToInhibitory = step(c.inhibitoryToInhibitory, 3, 0.25, 0, 3)
          c.inhibitoryGain = step(c.inhibitoryGain, 4, 0.25, 0, 2)
        }
        return c
      })
  }
}
