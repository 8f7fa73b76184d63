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
  /// after `evaluations` points. `set` puts a point into the memory.
  static func run<Memory: AssociativeMemory & ~Copyable>(
    _ memory: inout Memory, start: Point, patternCounts counts: [Int], codingLevel f: Double,
    evaluations: Int, trials: Int, probes: Int, seed: UInt64,
    set: (inout Memory, Point) -> Void, grid: (_ k: Int, _ lambda: Int) -> Point,
    mutate: (_ parent: Point, _ sigma: Double, _ rng: inout SeededGenerator) -> Point
  ) throws(HebbianError) -> Self {
    func evaluate(_ x: Point, _ m: inout Memory) throws(HebbianError) -> (Double, [CapacityPoint]) {
      set(&m, x)
      let points = try CapacitySweep.run(
        &m, patternCounts: counts, trials: trials, probes: probes, noise: 0,
        kind: .sparse(codingLevel: f), seed: seed &+ 17)
      return (EIMemory.score(points), points)
    }
    let (s0, p0) = try evaluate(start, &memory)
    var result = Self(
      start: start, startScore: s0, best: start, bestScore: s0, evaluations: 1, points: p0)
    func consider(_ x: Point, _ m: inout Memory) throws(HebbianError) -> Bool {
      let (s, p) = try evaluate(x, &m)
      result.evaluations += 1
      if s > result.bestScore {
        result.bestScore = s
        result.best = x
        result.points = p
        return true
      }
      return false
    }
    let lambda = 6
    for k in 1...lambda where result.evaluations < evaluations {
      _ = try consider(grid(k, lambda), &memory)
    }
    var rng = SeededGenerator(seed: seed &+ 99)
    var sigma = 0.5
    while result.evaluations < evaluations {
      var improved = false
      let parent = result.best
      for _ in 0..<lambda where result.evaluations < evaluations {
        if try consider(mutate(parent, sigma, &rng), &memory) { improved = true }
      }
      sigma *= improved ? 1.5 : 0.6
    }
    return result
  }
}
