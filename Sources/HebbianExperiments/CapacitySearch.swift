import Hebbian

/// What a capacity search (``EIMemory/search(excitatory:inhibitory:loads:evaluations:trials:probes:start:seed:)``,
/// ``CovarianceMemory/search(dimension:codingLevel:activityScaled:loads:evaluations:trials:probes:seed:)``)
/// found.
public struct CapacitySearchResult<Point: Sendable>: Sendable {
  /// The start point and its score.
  public var start: Point
  public var startScore: Double
  /// The best point evaluated and its score (≥ the start's: the start is evaluated first).
  public var best: Point
  public var bestScore: Double
  /// Points evaluated, the start included.
  public var evaluations: Int
  /// The best point's retrieval curve on the search's pattern sets.
  public var points: [CapacityPoint]
}

extension CapacitySearchResult {
  /// The pattern counts of `loads` × `neurons`: each at least 1, a load that rounds to no more
  /// patterns than the one before it dropped. `name` is the search's, for its messages.
  static func patternCounts(
    _ loads: [Double], neurons: Int, _ name: String, countLabel: String
  ) throws(HebbianError) -> [Int] {
    var counts: [Int] = []
    for a in loads {
      let p = max(1, try StepCount.of(a * Double(neurons), "\(name): \(countLabel)"))
      if let last = counts.last, p <= last { continue }
      counts.append(p)
    }
    if counts.isEmpty { throw .invalidParameter("\(name): no loads") }
    return counts
  }

  /// The search both tuners run, so that they get the same budget. Every point is scored by
  /// ``EIMemory/score(_:)`` on the same pattern sets (sparse, coding level `f`, seed + 17:
  /// common random numbers, so comparisons between points are not blurred by sampling
  /// noise). The start first, then `grid(k)` for k = 1…λ (λ = 6), then a (1+λ) evolution
  /// strategy from the best point so far: `mutate(parent, σ, &rng)` makes each child; σ starts
  /// at ½, grows by 1.5 after a generation that improved and shrinks by 0.6 otherwise. Stops
  /// after `evaluations` points. `set` puts a point into the memory. With `storesOnce` (the
  /// stored weights do not depend on the point: a covariance network's threshold) each batch,
  /// the start with the grid and then each generation, is scored on one storing of the
  /// pattern sets, each point's curve bit for bit the one it gets alone.
  static func run<Memory: AssociativeMemory & ~Copyable>(
    _ memory: inout Memory, start: Point, patternCounts counts: [Int], codingLevel f: Double,
    evaluations: Int, trials: Int, probes: Int, seed: UInt64, storesOnce: Bool = false,
    set: (inout Memory, Point) -> Void, grid: (_ k: Int, _ lambda: Int) -> Point,
    mutate: (_ parent: Point, _ sigma: Double, _ rng: inout SeededGenerator) -> Point
  ) throws(HebbianError) -> Self {
    func evaluate(_ xs: [Point], _ m: inout Memory) throws(HebbianError) -> [[CapacityPoint]] {
      let kind = PatternKind.sparse(codingLevel: f)
      if storesOnce {
        return try CapacitySweep.run(
          &m, variants: xs.count, select: { set(&$0, xs[$1]) }, patternCounts: counts,
          trials: trials, probes: probes, noise: 0, kind: kind, seed: seed &+ 17)
      }
      var curves: [[CapacityPoint]] = []
      for x in xs {
        set(&m, x)
        curves.append(
          try CapacitySweep.run(
            &m, patternCounts: counts, trials: trials, probes: probes, noise: 0, kind: kind,
            seed: seed &+ 17))
      }
      return curves
    }
    let lambda = 6
    var batch = [start]
    for k in 1...lambda where batch.count < evaluations { batch.append(grid(k, lambda)) }
    var curves = try evaluate(batch, &memory)
    let s0 = EIMemory.score(curves[0])
    var result = Self(
      start: start, startScore: s0, best: start, bestScore: s0, evaluations: 1,
      points: curves[0])
    func consider(_ x: Point, _ p: [CapacityPoint]) -> Bool {
      let s = EIMemory.score(p)
      result.evaluations += 1
      if s > result.bestScore {
        result.bestScore = s
        result.best = x
        result.points = p
        return true
      }
      return false
    }
    for v in 1..<batch.count { _ = consider(batch[v], curves[v]) }
    var rng = SeededGenerator(seed: seed &+ 99)
    var sigma = 0.5
    while result.evaluations < evaluations {
      let parent = result.best
      batch = []
      for _ in 0..<lambda where result.evaluations + batch.count < evaluations {
        batch.append(mutate(parent, sigma, &rng))
      }
      curves = try evaluate(batch, &memory)
      var improved = false
      for v in batch.indices where consider(batch[v], curves[v]) { improved = true }
      sigma *= improved ? 1.5 : 0.6
    }
    return result
  }
}
