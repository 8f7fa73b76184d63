/// One load of a capacity sweep.
public struct CapacityPoint: Sendable, Equatable {
  /// Stored patterns P.
  public var patterns: Int
  /// Load α = P / N.
  public var load: Double
  /// Fraction of probes whose recall ended exactly on the stored pattern.
  public var exact: Double
  /// Mean overlap of the recalled state with the stored pattern: s·ξ/N for ±1 patterns,
  /// Σ(s_i − f)(ξ_i − f) / (N f(1 − f)) for 0/1 patterns of coding level f.
  public var overlap: Double
}

/// The random patterns a sweep stores.
public enum PatternKind: Sendable, Equatable {
  /// Independent ±1 entries.
  case bipolar
  /// 0/1 entries, each 1 with probability `codingLevel` (for the E/I network's excitatory
  /// neurons).
  case sparse(codingLevel: Double)
}

/// Measures the retrieval curve of a memory: for each pattern count, `trials` fresh random
/// pattern sets are stored; up to `probes` of the stored patterns are cued with a fraction
/// `noise` of their entries flipped, recalled, and compared with the original.
public enum CapacitySweep {
  public static func run<M: AssociativeMemory & ~Copyable>(
    _ memory: inout M, patternCounts: [Int], trials: Int = 3, probes: Int = 20,
    noise: Double = 0.1, kind: PatternKind = .bipolar, seed: UInt64 = 1
  ) throws(HebbianError) -> [CapacityPoint] {
    let n = memory.dimension
    var rng = SeededGenerator(seed: seed)
    var points: [CapacityPoint] = []
    var patterns = [Float](repeating: 0, count: 0)
    var cue = [Float](repeating: 0, count: n)
    var state = [Float](repeating: 0, count: n)
    var index = [Int](repeating: 0, count: n)
    let flips = Int((noise * Double(n)).rounded())
    for p in patternCounts {
      if p < 1 { throw .invalidParameter("capacity sweep: pattern counts must be >= 1") }
      var exact = 0
      var overlapSum = 0.0
      var total = 0
      for _ in 0..<trials {
        memory.removeAll()
        patterns = [Float](repeating: 0, count: p * n)
        for k in 0..<(p * n) { patterns[k] = draw(kind, &rng) }
        for mu in 0..<p {
          try memory.store(patterns[(mu * n)..<((mu + 1) * n)].span)
        }
        for mu in 0..<min(p, probes) {
          for j in 0..<n {
            cue[j] = patterns[mu * n + j]
            index[j] = j
          }
          // Flip exactly `flips` distinct entries (partial Fisher–Yates).
          for k in 0..<flips {
            let r = k + Int(rng.next() % UInt64(n - k))
            index.swapAt(k, r)
            cue[index[k]] = flip(kind, cue[index[k]])
          }
          try memory.recall(cue, into: &state)
          let o = overlap(kind, state, patterns, mu * n, n)
          var same = true
          for j in 0..<n where state[j] != patterns[mu * n + j] {
            same = false
            break
          }
          if same { exact += 1 }
          overlapSum += o
          total += 1
        }
      }
      points.append(
        CapacityPoint(
          patterns: p, load: Double(p) / Double(n), exact: Double(exact) / Double(total),
          overlap: overlapSum / Double(total)))
    }
    return points
  }

  /// The estimated critical load: where the fraction of exact retrievals first falls through
  /// 1/2, linearly interpolated between the two loads around the crossing. Nil when it never
  /// falls below 1/2 (the sweep stopped short of the knee) or starts below it.
  public static func criticalLoad(_ points: [CapacityPoint]) -> Double? {
    guard let first = points.first, first.exact >= 0.5 else { return nil }
    for k in 1..<max(points.count, 1) where points[k].exact < 0.5 {
      let a = points[k - 1], b = points[k]
      let t = (a.exact - 0.5) / (a.exact - b.exact)
      return a.load + t * (b.load - a.load)
    }
    return nil
  }

  static func draw(_ kind: PatternKind, _ rng: inout SeededGenerator) -> Float {
    switch kind {
    case .bipolar: return rng.sign()
    case .sparse(let f): return rng.uniform() < f ? 1 : 0
    }
  }

  static func flip(_ kind: PatternKind, _ v: Float) -> Float {
    switch kind {
    case .bipolar: return -v
    case .sparse: return 1 - v
    }
  }

  static func overlap(_ kind: PatternKind, _ s: [Float], _ xi: [Float], _ offset: Int, _ n: Int)
    -> Double
  {
    var sum = 0.0
    switch kind {
    case .bipolar:
      for j in 0..<n { sum += Double(s[j] * xi[offset + j]) }
      return sum / Double(n)
    case .sparse(let f):
      for j in 0..<n { sum += (Double(s[j]) - f) * (Double(xi[offset + j]) - f) }
      return sum / (Double(n) * f * (1 - f))
    }
  }
}
