/// Dense associative memory (Krotov & Hopfield 2016) on ±1 neurons, with the exponential
/// interaction of Demircigil et al. (2017).
///
/// Energy E(s) = −Σ_μ F(ξ^μ·s). A neuron takes the sign that lowers it:
///   s_i ← sign( Σ_μ [ F(ξ^μ_i + r_μ) − F(−ξ^μ_i + r_μ) ] ),  r_μ = Σ_{j≠i} ξ^μ_j s_j.
/// F(x) = xⁿ stores about N^(n−1) patterns (n = 2 is the classical network); F(x) = eˣ
/// stores exponentially many. The overlaps m_μ = ξ^μ·s are kept (exact integers) and updated
/// by ±2ξ^μ_i on each flip, so an asynchronous sweep costs O(P·N).
public struct DenseMemory: ~Copyable, AssociativeMemory {
  public enum Interaction: Sendable, Equatable {
    /// F(x) = xⁿ.
    case polynomial(degree: Int)
    /// F(x) = max(x, 0)ⁿ.
    case rectifiedPolynomial(degree: Int)
    /// F(x) = eˣ (evaluated relative to the largest overlap, so nothing overflows).
    case exponential
  }

  /// The stored patterns, one per row.
  var patterns: PatternStore
  public var dimension: Int { patterns.dimension }
  public var capacity: Int { patterns.capacity }
  public let interaction: Interaction
  public var update: UpdateOrder
  public var maxSteps: Int
  public var count: Int { patterns.count }

  var m: OwnedBuffer<Float>
  var s: OwnedBuffer<Float>
  var next: OwnedBuffer<Float>
  var order: OwnedBuffer<Int>
  var rng: SeededGenerator

  /// Largest degree n of F(x) = xⁿ: overlaps reach N, and N^64 overflows Double already for
  /// N ≥ 2^16; the capacity gain of higher degrees (∝ N^(n−1)) is far past any pattern count.
  public static let maxDegree = 64

  public init(
    dimension: Int, capacity: Int, interaction: Interaction = .polynomial(degree: 3),
    update: UpdateOrder = .asynchronous, maxSteps: Int = 100, seed: UInt64 = 0
  ) throws(HebbianError) {
    try checkSizes("DenseMemory", dimension: dimension, capacity: capacity, maxSteps: maxSteps)
    try MemoryBudget.check(
      "DenseMemory", "dimension \(dimension) with capacity \(capacity)",
      [[capacity, dimension], [capacity], [6, dimension]])
    switch interaction {
    case .polynomial(let n), .rectifiedPolynomial(let n):
      if n < 1 || n > Self.maxDegree {
        throw .invalidParameter("DenseMemory: degree must be in 1...\(Self.maxDegree), got \(n)")
      }
    case .exponential: break
    }
    patterns = PatternStore("DenseMemory", dimension: dimension, capacity: capacity)
    self.interaction = interaction
    self.update = update
    self.maxSteps = maxSteps
    m = OwnedBuffer(count: capacity)
    s = OwnedBuffer(count: dimension)
    next = OwnedBuffer(count: dimension)
    order = OwnedBuffer(count: dimension, repeating: 0)
    rng = SeededGenerator(seed: seed)
  }

  /// Stores one pattern; entries are taken by sign.
  public mutating func store(_ pattern: Span<Float>) throws(HebbianError) {
    try patterns.append(pattern, signs: true)
  }

  public mutating func removeAll() { patterns.removeAll() }

  /// F(x).
  @inline(__always)
  func f(_ v: Double) -> Double {
    switch interaction {
    case .polynomial(let n): return power(v, n)
    case .rectifiedPolynomial(let n): return v > 0 ? power(v, n) : 0
    case .exponential: return Math.exp(v)
    }
  }

  @inline(__always)
  func power(_ v: Double, _ n: Int) -> Double {
    var r = 1.0
    for _ in 0..<n { r *= v }
    return r
  }

  /// Σ_μ [F(ξ^μ_i + r_μ) − F(−ξ^μ_i + r_μ)], scaled by a positive constant for F = exp.
  func drive(_ i: Int) -> Double {
    let n = dimension
    let si = Double(s[i])
    var shift = 0.0
    if case .exponential = interaction {
      shift = -Double.infinity
      for mu in 0..<count {
        shift = max(shift, Double(m[mu]) - Double(patterns.rows[mu * n + i]) * si)
      }
    }
    var d = 0.0
    for mu in 0..<count {
      let xi = Double(patterns.rows[mu * n + i])
      let r = Double(m[mu]) - xi * si - shift
      d += f(r + xi) - f(r - xi)
    }
    return d
  }

  public mutating func recall(_ cue: Span<Float>, into state: inout MutableSpan<Float>)
    throws(HebbianError) -> RecallResult
  {
    try checkRecall("DenseMemory", dimension, cue: cue.count, state: state.count)
    let n = dimension
    storeSigns(cue, into: &s)
    let result = iterate(maxSteps: maxSteps) { sweep() }
    for i in 0..<n { state[i] = s[i] }
    return result
  }

  /// One update of every neuron from fresh overlaps; returns how many flipped.
  mutating func sweep() -> Int {
    let n = dimension
    Kernels.unsafeGemv(rows: count, columns: n, patterns.rows.base, lda: n, s.base, m.base)
    switch update {
    case .synchronous:
      var changed = 0
      for i in 0..<n { next[i] = drive(i) > 0 ? 1 : -1 }
      for i in 0..<n where next[i] != s[i] {
        s[i] = next[i]
        changed += 1
      }
      return changed
    case .asynchronous:
      shuffleOrder(&order, &rng)
      return asynchronousSweep(order: order) { i in s[i] } next: { i in
        drive(i) > 0 ? 1 : -1
      } flip: { i, v in
        for mu in 0..<count { m[mu] += 2 * v * patterns.rows[mu * n + i] }
        s[i] = v
      }
    }
  }

  /// E(s) = −Σ_μ F(ξ^μ·s) (Double: F = exp overflows only beyond N ≈ 700).
  public func energy(_ state: Span<Float>) throws(HebbianError) -> Double {
    try checkShape("DenseMemory state", dimension, state.count)
    var e = 0.0
    for mu in 0..<count {
      var o = 0.0
      for j in 0..<dimension {
        o += Double(patterns.rows[mu * dimension + j]) * (state[j] < 0 ? -1 : 1)
      }
      e -= f(o)
    }
    return e
  }
}
