import Hebbian

extension EIMemory {
  /// What ``search(excitatory:inhibitory:loads:evaluations:trials:probes:start:seed:)``
  /// found.
  public struct SearchResult: Sendable {
    /// The start point and its score.
    public var start: Coefficients
    public var startScore: Double
    /// The best point evaluated and its score (≥ the start's: the start is evaluated first).
    public var best: Coefficients
    public var bestScore: Double
    /// Points evaluated, the start included.
    public var evaluations: Int
    /// The best point's retrieval curve on the search's pattern sets.
    public var points: [CapacityPoint]
  }

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
    var counts: [Int] = []
    for a in loads {
      let p = max(1, try StepCount.of(a * Double(excitatory), "EIMemory.search: load x N"))
      if let last = counts.last, p <= last { continue }
      counts.append(p)
    }
    if counts.isEmpty { throw .invalidParameter("EIMemory.search: no loads") }
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
    func evaluate(_ c: Coefficients, _ m: inout EIMemory) throws(HebbianError) -> (
      Double, [CapacityPoint]
    ) {
      m.coefficients = c
      let points = try CapacitySweep.run(
        &m, patternCounts: counts, trials: trials, probes: probes, noise: 0,
        kind: .sparse(codingLevel: f), seed: seed &+ 17)
      return (score(points), points)
    }
    let (s0, p0) = try evaluate(first, &memory)
    var result = SearchResult(
      start: first, startScore: s0, best: first, bestScore: s0, evaluations: 1, points: p0)
    var rng = SeededGenerator(seed: seed &+ 99)
    let lambda = 6
    let ff = Float(f)
    func consider(_ c: Coefficients, _ m: inout EIMemory) throws(HebbianError) -> Bool {
      let (s, p) = try evaluate(c, &m)
      result.evaluations += 1
      if s > result.bestScore {
        result.bestScore = s
        result.best = c
        result.points = p
        return true
      }
      return false
    }
    for k in 1...lambda where result.evaluations < evaluations {
      var c = first
      if inhibitory > 0 {
        c.inhibitoryToExcitatory = Float(2 * k) / Float(lambda)
      } else {
        c.threshold = Float(2 * k) * ff / Float(lambda)
      }
      _ = try consider(c, &memory)
    }
    var sigma = 0.5
    while result.evaluations < evaluations {
      var improved = false
      let parent = result.best
      for _ in 0..<lambda where result.evaluations < evaluations {
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
        if try consider(c, &memory) { improved = true }
      }
      sigma *= improved ? 1.5 : 0.6
    }
    return result
  }
}
