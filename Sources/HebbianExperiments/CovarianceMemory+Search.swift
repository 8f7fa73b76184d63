import Hebbian

extension CovarianceMemory {
  public typealias SearchResult = CapacitySearchResult<Threshold>

  /// How many times ``search(dimension:codingLevel:activityScaled:loads:evaluations:trials:probes:seed:)``
  /// stores its pattern sets for `evaluations` points: once for the start and the grid (up to
  /// 7 points), once per generation of up to 6 after them.
  public static func storingPasses(evaluations: Int) -> Int {
    1 + (max(evaluations - 7, 0) + 5) / 6
  }

  /// The threshold tuned the way ``EIMemory/search(excitatory:inhibitory:loads:evaluations:trials:probes:start:seed:)``
  /// tunes the E/I coefficients, so that the two get the same budget: the same score (area
  /// under the retrieved curve), the same pattern sets for the same seed, the start
  /// (the derived midpoint), a grid of 6 points at {⅓, ⅔, …, 2} times the start along the
  /// coordinate that matters (θ₀, or κ when `activityScaled`), then the same (1+6) evolution
  /// strategy (σ from ½, ×1.5 after an improving generation, ×0.6 otherwise). With
  /// `activityScaled` both κ (scale κ_d/2, box [0, 3κ_d]) and θ₀ (scale θ_d/4, box
  /// [−θ_d, θ_d], θ_d the derived fixed threshold) move; otherwise only θ₀ (scale θ_d/2,
  /// box [−θ_d, 3θ_d]).
  public static func search(
    dimension: Int, codingLevel f: Double, activityScaled: Bool, loads: [Double],
    evaluations: Int = 25, trials: Int = 1, probes: Int = 10, seed: UInt64 = 1
  ) throws(HebbianError) -> SearchResult {
    let counts = try SearchResult.patternCounts(
      loads, neurons: dimension, "CovarianceMemory.search", countLabel: "patterns")
    let start = Threshold.derived(codingLevel: f, activityScaled: activityScaled)
    var memory = try CovarianceMemory(
      dimension: dimension, capacity: counts[counts.count - 1], codingLevel: f,
      threshold: start)
    // The weights do not depend on the threshold: each batch of thresholds is scored on one
    // storing of the pattern sets.
    let fixedScale = Double(Threshold.derived(codingLevel: f, activityScaled: false).fixed)
    let kappa = Double(Threshold.derived(codingLevel: f, activityScaled: true).activity)
    return try SearchResult.run(
      &memory, start: start, patternCounts: counts, codingLevel: f, evaluations: evaluations,
      trials: trials, probes: probes, seed: seed, storesOnce: true,
      set: { $0.threshold = $1 },
      grid: { k, lambda in
        var t = start
        let scale = Float(2 * k) / Float(lambda)
        if activityScaled { t.activity *= scale } else { t.fixed *= scale }
        return t
      },
      mutate: { parent, sigma, rng in
        var t = parent
        if activityScaled {
          let forced = Int(rng.next() % 2)
          if forced == 0 || rng.next() & 1 == 0 {
            t.activity = clip(t.activity + Float(sigma * kappa / 2 * rng.gaussian()), 0, 3 * kappa)
          }
          if forced == 1 || rng.next() & 1 == 0 {
            t.fixed = clip(
              t.fixed + Float(sigma * fixedScale / 4 * rng.gaussian()), -fixedScale, fixedScale)
          }
        } else {
          t.fixed = clip(
            t.fixed + Float(sigma * fixedScale / 2 * rng.gaussian()), -fixedScale,
            3 * fixedScale)
        }
        return t
      })
  }

}
