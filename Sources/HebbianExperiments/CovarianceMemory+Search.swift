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
    // The weights do not depend on the threshold: each batch of points (the start and the
    // grid, then each generation) is scored on one storing of the pattern sets, each point's
    // curve bit for bit the one it would get alone.
    func evaluate(_ ts: [Threshold], _ m: inout CovarianceMemory) throws(HebbianError)
      -> [[CapacityPoint]]
    {
      try CapacitySweep.run(
        &m, variants: ts.count, select: { $0.threshold = ts[$1] }, patternCounts: counts,
        trials: trials, probes: probes, noise: 0, kind: .sparse(codingLevel: f),
        seed: seed &+ 17)
    }
    let lambda = 6
    var batch = [start]
    for k in 1...lambda where batch.count < evaluations {
      var t = start
      let scale = Float(2 * k) / Float(lambda)
      if activityScaled { t.activity *= scale } else { t.fixed *= scale }
      batch.append(t)
    }
    var curves = try evaluate(batch, &memory)
    let s0 = EIMemory.score(curves[0])
    var result = SearchResult(
      start: start, startScore: s0, best: start, bestScore: s0, evaluations: 1,
      points: curves[0])
    func consider(_ t: Threshold, _ p: [CapacityPoint]) -> Bool {
      let s = EIMemory.score(p)
      result.evaluations += 1
      if s > result.bestScore {
        result.bestScore = s
        result.best = t
        result.points = p
        return true
      }
      return false
    }
    for v in 1..<batch.count { _ = consider(batch[v], curves[v]) }
    let fixedScale = Double(Threshold.derived(codingLevel: f, activityScaled: false).fixed)
    let kappa = Double(Threshold.derived(codingLevel: f, activityScaled: true).activity)
    var rng = SeededGenerator(seed: seed &+ 99)
    var sigma = 0.5
    while result.evaluations < evaluations {
      let parent = result.best
      batch = []
      for _ in 0..<lambda where result.evaluations + batch.count < evaluations {
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
        batch.append(t)
      }
      curves = try evaluate(batch, &memory)
      var improved = false
      for v in 0..<batch.count {
        if consider(batch[v], curves[v]) { improved = true }
      }
      sigma *= improved ? 1.5 : 0.6
    }
    return result
  }

}
