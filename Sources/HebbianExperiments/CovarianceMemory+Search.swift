import Hebbian

extension CovarianceMemory {
  /// What ``search(dimension:codingLevel:activityScaled:loads:evaluations:trials:probes:seed:)``
  /// found.
  public struct SearchResult: Sendable {
    public var start: Threshold
    public var startScore: Double
    public var best: Threshold
    public var bestScore: Double
    public var evaluations: Int
    public var points: [CapacityPoint]
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
    var counts: [Int] = []
    for a in loads {
      let p = max(1, try StepCount.of(a * Double(dimension), "CovarianceMemory.search: patterns"))
      if let last = counts.last, p <= last { continue }
      counts.append(p)
    }
    if counts.isEmpty { throw .invalidParameter("CovarianceMemory.search: no loads") }
    let start = Threshold.derived(codingLevel: f, activityScaled: activityScaled)
    var memory = try CovarianceMemory(
      dimension: dimension, capacity: counts[counts.count - 1], codingLevel: f,
      threshold: start)
    func evaluate(_ t: Threshold, _ m: inout CovarianceMemory) throws(HebbianError) -> (
      Double, [CapacityPoint]
    ) {
      m.threshold = t
      let points = try CapacitySweep.run(
        &m, patternCounts: counts, trials: trials, probes: probes, noise: 0,
        kind: .sparse(codingLevel: f), seed: seed &+ 17)
      return (EIMemory.score(points), points)
    }
    let (s0, p0) = try evaluate(start, &memory)
    var result = SearchResult(
      start: start, startScore: s0, best: start, bestScore: s0, evaluations: 1, points: p0)
    func consider(_ t: Threshold, _ m: inout CovarianceMemory) throws(HebbianError) -> Bool {
      let (s, p) = try evaluate(t, &m)
      result.evaluations += 1
      if s > result.bestScore {
        result.bestScore = s
        result.best = t
        result.points = p
        return true
      }
      return false
    }
    let lambda = 6
    for k in 1...lambda where result.evaluations < evaluations {
      var t = start
      let scale = Float(2 * k) / Float(lambda)
      if activityScaled { t.activity *= scale } else { t.fixed *= scale }
      _ = try consider(t, &memory)
    }
    let fixedScale = Double(Threshold.derived(codingLevel: f, activityScaled: false).fixed)
    let kappa = Double(Threshold.derived(codingLevel: f, activityScaled: true).activity)
    var rng = SeededGenerator(seed: seed &+ 99)
    var sigma = 0.5
    while result.evaluations < evaluations {
      var improved = false
      let parent = result.best
      for _ in 0..<lambda where result.evaluations < evaluations {
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
        if try consider(t, &memory) { improved = true }
      }
      sigma *= improved ? 1.5 : 0.6
    }
    return result
  }

}
