import Hebbian

/// One load of a capacity sweep.
public struct CapacityPoint: Sendable, Equatable {
  /// Stored patterns P.
  public var patterns: Int
  /// Load α = P / N.
  public var load: Double
  /// Fraction of probes that, started *at* the stored pattern and run to a fixed point, end
  /// with overlap m ≥ the retrieval threshold (0.9 by default): the retrieval criterion of
  /// Amit, Gutfreund & Sompolinsky, whose α_c ≈ 0.138 is where it collapses.
  public var retrieved: Double
  /// Mean final overlap of the runs started at the stored patterns.
  public var fixedPointOverlap: Double
  /// Exact-recall fraction: runs started from a cue (a fraction `noise` of the entries
  /// flipped; for 0/1 patterns that fraction of the active entries moved to silent ones) that end on the stored pattern in every entry. Depends on N: the number of
  /// bits that must all be right grows with it.
  public var exact: Double
  /// Fraction of the cued runs whose final overlap is ≥ the retrieval threshold.
  public var cueRetrieved: Double
  /// Mean final overlap of the cued runs.
  public var overlap: Double

  public init(
    patterns: Int, load: Double, retrieved: Double, fixedPointOverlap: Double, exact: Double,
    cueRetrieved: Double, overlap: Double
  ) {
    self.patterns = patterns
    self.load = load
    self.retrieved = retrieved
    self.fixedPointOverlap = fixedPointOverlap
    self.exact = exact
    self.cueRetrieved = cueRetrieved
    self.overlap = overlap
  }
}

/// The random patterns a sweep stores.
public enum PatternKind: Sendable, Equatable {
  /// Independent ±1 entries.
  case bipolar
  /// 0/1 entries, each 1 with probability `codingLevel` (for the E/I network's excitatory
  /// neurons).
  case sparse(codingLevel: Double)
}

/// Measures the retrieval curve of a memory as the literature does.
///
/// For each of `trials` random pattern sequences, patterns are stored one at a time; when the
/// count reaches each entry of `patternCounts`, up to `probes` of the stored patterns (evenly
/// spaced through the sequence) are recalled twice: once started *at* the pattern, run to a
/// fixed point and scored by the final overlap m (retrieved when m ≥ `threshold`, 0.9 by
/// default; Amit, Gutfreund & Sompolinsky 1985, 1987), and once from a cue with a fraction
/// `noise` of the entries flipped (for 0/1 patterns: that fraction of the active entries
/// silenced and as many silent ones activated), scored by exact recall and by overlap.
///
/// The overlap is s·ξ/N for ±1 patterns. For 0/1 patterns it is the Pearson correlation of
/// the state with the pattern, Σ(s_i − a)(ξ_i − f) / (N √(a(1−a) f(1−f))) with a and f the
/// two activity levels (0 for a silent or saturated state): 1 only on the pattern, ≈ 0 for
/// an unrelated state, and penalising spurious active neurons as much as missing ones (the
/// plain Σ(s_i − f)(ξ_i − f)/(N f(1−f)) of sparse-coding papers barely notices extra
/// activity).
public enum CapacitySweep {
  public static func run<M: AssociativeMemory & ~Copyable>(
    _ memory: inout M, patternCounts: [Int], trials: Int = 3, probes: Int = 20,
    noise: Double = 0.1, kind: PatternKind = .bipolar, threshold: Double = 0.9,
    seed: UInt64 = 1
  ) throws(HebbianError) -> [CapacityPoint] {
    try run(
      &memory, variants: 1, select: { _, _ in }, patternCounts: patternCounts, trials: trials,
      probes: probes, noise: noise, kind: kind, threshold: threshold, seed: seed)[0]
  }

  /// ``run(_:patternCounts:trials:probes:noise:kind:threshold:seed:)`` for `variants`
  /// settings of a memory whose stored weights do not depend on them (a covariance network's
  /// threshold): each pattern sequence is stored once, and at every load each variant, set by
  /// `select(&memory, v)`, recalls the same probes from the same cues (the generator replayed
  /// for each). Curve v is, bit for bit, the curve a run with that setting alone gives, for
  /// the price of one run's storing.
  public static func run<M: AssociativeMemory & ~Copyable>(
    _ memory: inout M, variants: Int, select: (inout M, Int) -> Void, patternCounts: [Int],
    trials: Int = 3, probes: Int = 20, noise: Double = 0.1, kind: PatternKind = .bipolar,
    threshold: Double = 0.9, seed: UInt64 = 1
  ) throws(HebbianError) -> [[CapacityPoint]] {
    let n = memory.dimension
    try validate(patternCounts: patternCounts, trials: trials, probes: probes, noise: noise)
    if variants < 1 { throw .invalidParameter("capacity sweep: variants must be >= 1") }
    let pMax = patternCounts[patternCounts.count - 1]
    var rng = SeededGenerator(seed: seed)
    var sums = [Sums](repeating: Sums(), count: variants * patternCounts.count)
    var patterns = [Float](repeating: 0, count: pMax * n)
    var probe = Probe(n: n, kind: kind, noise: noise, threshold: threshold)
    for _ in 0..<trials {
      memory.removeAll()
      for k in 0..<(pMax * n) { patterns[k] = draw(kind, &rng) }
      var stored = 0
      for (c, p) in patternCounts.enumerated() {
        while stored < p {
          try memory.store(patterns[(stored * n)..<((stored + 1) * n)].span)
          stored += 1
        }
        let before = rng
        for v in 0..<variants {
          select(&memory, v)
          rng = before
          let k = min(p, probes)
          for q in 0..<k {
            try probe.run(
              &memory, patterns, (q * p / k) * n, &sums[v * patternCounts.count + c], &rng)
          }
        }
      }
    }
    var curves: [[CapacityPoint]] = []
    for v in 0..<variants {
      var points: [CapacityPoint] = []
      for (c, p) in patternCounts.enumerated() {
        let s = sums[v * patternCounts.count + c], t = Double(s.total)
        points.append(
          CapacityPoint(
            patterns: p, load: Double(p) / Double(n), retrieved: s.retrieved / t,
            fixedPointOverlap: s.fixed / t, exact: s.exact / t,
            cueRetrieved: s.cueRetrieved / t, overlap: s.overlap / t))
      }
      curves.append(points)
    }
    return curves
  }

  /// One probe of a sweep: recall from the stored pattern at `base` (scored by the overlap
  /// of its fixed point), then from a corrupted cue (exact recall and overlap).
  struct Probe {
    let n: Int, kind: PatternKind, noise: Double, threshold: Double, flips: Int
    var cue: [Float], state: [Float], index: [Int]

    init(n: Int, kind: PatternKind, noise: Double, threshold: Double) {
      self.n = n
      self.kind = kind
      self.noise = noise
      self.threshold = threshold
      flips = Int((noise * Double(n)).rounded())
      cue = [Float](repeating: 0, count: n)
      state = [Float](repeating: 0, count: n)
      index = [Int](repeating: 0, count: n)
    }

    mutating func run<M: AssociativeMemory & ~Copyable>(
      _ memory: inout M, _ patterns: [Float], _ base: Int, _ sums: inout Sums,
      _ rng: inout SeededGenerator
    ) throws(HebbianError) {
      for j in 0..<n { cue[j] = patterns[base + j] }
      try memory.recall(cue, into: &state)
      let m0 = overlap(kind, state, patterns, base, n)
      sums.fixed += m0
      if m0 >= threshold { sums.retrieved += 1 }
      let moved = corrupt(&cue, kind: kind, flips: flips, noise: noise, &index, &rng)
      if moved > 0 { try memory.recall(cue, into: &state) }
      let m = moved > 0 ? overlap(kind, state, patterns, base, n) : m0
      var same = true
      for j in 0..<n where state[j] != patterns[base + j] {
        same = false
        break
      }
      if same { sums.exact += 1 }
      if m >= threshold { sums.cueRetrieved += 1 }
      sums.overlap += m
      sums.total += 1
    }
  }

  static func validate(patternCounts: [Int], trials: Int, probes: Int, noise: Double)
    throws(HebbianError)
  {
    if patternCounts.isEmpty { throw .invalidParameter("capacity sweep: no pattern counts") }
    for k in 0..<patternCounts.count {
      if patternCounts[k] < 1 {
        throw .invalidParameter("capacity sweep: pattern counts must be >= 1")
      }
      if k > 0 && patternCounts[k] <= patternCounts[k - 1] {
        throw .invalidParameter("capacity sweep: pattern counts must increase")
      }
    }
    if trials < 1 || probes < 1 {
      throw .invalidParameter("capacity sweep: trials and probes must be >= 1")
    }
    if !(noise >= 0 && noise <= 1) {
      throw .invalidParameter("capacity sweep: noise must be in [0, 1]")
    }
  }

  /// Turns a stored pattern into a cue in place and returns how many entries moved: ±1
  /// patterns get exactly `flips` distinct entries flipped (partial Fisher–Yates); 0/1
  /// patterns get round(noise·active) active entries silenced and as many silent ones
  /// activated, so the cue keeps the pattern's activity.
  static func corrupt(
    _ cue: inout [Float], kind: PatternKind, flips: Int, noise: Double, _ index: inout [Int],
    _ rng: inout SeededGenerator
  ) -> Int {
    let n = cue.count
    if case .sparse = kind {
      var active = 0
      for j in 0..<n where cue[j] > 0.5 { active += 1 }
      let moved = min(Int((noise * Double(active)).rounded()), n - active)
      var on = 0, off = 0
      for j in 0..<n {
        if cue[j] > 0.5 {
          index[on] = j
          on += 1
        } else {
          index[active + off] = j
          off += 1
        }
      }
      for t in 0..<moved {
        let a = t + Int(rng.next() % UInt64(active - t))
        index.swapAt(t, a)
        cue[index[t]] = 0
        let b = active + t + Int(rng.next() % UInt64(n - active - t))
        index.swapAt(active + t, b)
        cue[index[active + t]] = 1
      }
      return moved
    }
    if flips > 0 {
      for j in 0..<n { index[j] = j }
      for t in 0..<flips {
        let r = t + Int(rng.next() % UInt64(n - t))
        index.swapAt(t, r)
        cue[index[t]] = flip(kind, cue[index[t]])
      }
    }
    return flips
  }

  struct Sums {
    var retrieved = 0.0, fixed = 0.0, exact = 0.0, cueRetrieved = 0.0, overlap = 0.0
    var total = 0
  }

  /// α_c as the literature measures it: the largest load at which the stored patterns are
  /// still retrieved, i.e. where the fraction of probes started at their pattern that end
  /// with m ≥ 0.9 (``CapacityPoint/retrieved``) first falls below `level`, linearly
  /// interpolated between the two loads around the crossing. Nil when the sweep never
  /// crosses (it stopped short of the collapse, or started beyond it).
  ///
  /// The default level 0.9 is where the retrieval curves of the Hebbian network at different
  /// N intersect (measured at N = 500 … 8000 with 10 pattern sequences each: all pass
  /// R = 0.88–0.92 at α = 0.14, `Scripts/hopfield-alpha.py`), so it drifts least with N; the half-retrieval load (`level: 0.5`) is the midpoint of a transition
  /// whose width shrinks like 1/√N and lies above α_c at finite N (0.165 at N = 1000).
  public static func criticalLoad(_ points: [CapacityPoint], level: Double = 0.9) -> Double? {
    crossing(points, level) { $0.retrieved }
  }

  /// The load where the exact-recall fraction from cues falls through ½: a different,
  /// N-dependent quantity (0.147 at N = 200, 0.10 at N = 1000 for the Hebbian network),
  /// which tends to 0 as N grows (every one of N bits must be right).
  public static func exactRecallLoad(_ points: [CapacityPoint]) -> Double? {
    crossing(points, 0.5) { $0.exact }
  }

  /// The load where the fraction of cued runs ending with m ≥ 0.9 falls below `level`.
  public static func cueRetrievalLoad(_ points: [CapacityPoint], level: Double = 0.9) -> Double? {
    crossing(points, level) { $0.cueRetrieved }
  }

  static func crossing(
    _ points: [CapacityPoint], _ level: Double, _ value: (CapacityPoint) -> Double
  ) -> Double? {
    guard let first = points.first, value(first) >= level else { return nil }
    for k in 1..<max(points.count, 1) where value(points[k]) < level {
      let a = points[k - 1], b = points[k]
      let t = (value(a) - level) / (value(a) - value(b))
      return a.load + t * (b.load - a.load)
    }
    return nil
  }

  /// A finite-size extrapolation: the least-squares fit α_c(N) = α_∞ + b/√N over measured
  /// (N, α_c(N)) pairs (at least two distinct N). The 1/√N form is the leading correction
  /// seen in simulations of the Hebbian network near saturation.
  public static func extrapolate(_ sizes: [(n: Int, alpha: Double)]) -> (
    alphaInfinity: Double, slope: Double
  )? {
    if sizes.count < 2 { return nil }
    var sx = 0.0, sy = 0.0, sxx = 0.0, sxy = 0.0
    for (n, a) in sizes {
      let x = 1 / Double(n).squareRoot()
      sx += x
      sy += a
      sxx += x * x
      sxy += x * a
    }
    let k = Double(sizes.count)
    let det = k * sxx - sx * sx
    if !(abs(det) > 1e-15) { return nil }
    let b = (k * sxy - sx * sy) / det
    return ((sy - b * sx) / k, b)
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

  /// The overlap of state `s` with the pattern at `offset`: s·ξ/N for ±1, the Pearson
  /// correlation for 0/1 (see ``CapacitySweep``).
  static func overlap(_ kind: PatternKind, _ s: [Float], _ xi: [Float], _ offset: Int, _ n: Int)
    -> Double
  {
    switch kind {
    case .bipolar:
      var sum = 0.0
      for j in 0..<n { sum += Double(s[j] * xi[offset + j]) }
      return sum / Double(n)
    case .sparse:
      var a = 0.0, f = 0.0, both = 0.0
      for j in 0..<n {
        let sj = s[j] > 0.5 ? 1.0 : 0.0, xj = xi[offset + j] > 0.5 ? 1.0 : 0.0
        a += sj
        f += xj
        both += sj * xj
      }
      let nn = Double(n)
      a /= nn
      f /= nn
      let v = a * (1 - a) * f * (1 - f)
      if !(v > 0) { return 0 }
      return (both / nn - a * f) / v.squareRoot()
    }
  }
}
