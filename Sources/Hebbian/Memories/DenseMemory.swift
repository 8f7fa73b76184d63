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

  public let dimension: Int
  public let capacity: Int
  public let interaction: Interaction
  public var update: UpdateOrder
  public var maxSteps: Int
  public private(set) var count = 0

  let x: UnsafeMutablePointer<Float>
  let m: UnsafeMutablePointer<Float>
  let s: UnsafeMutablePointer<Float>
  let next: UnsafeMutablePointer<Float>
  let order: UnsafeMutablePointer<Int>
  var rng: SeededGenerator

  /// Largest degree n of F(x) = xⁿ: overlaps reach N, and N^64 overflows Double already for
  /// N ≥ 2^16; the capacity gain of higher degrees (∝ N^(n−1)) is far past any pattern count.
  public static let maxDegree = 64

  public init(
    dimension: Int, capacity: Int, interaction: Interaction = .polynomial(degree: 3),
    update: UpdateOrder = .asynchronous, maxSteps: Int = 100, seed: UInt64 = 0
  ) throws(HebbianError) {
    if dimension < 1 || capacity < 1 {
      throw .invalidParameter("DenseMemory: dimension and capacity must be >= 1")
    }
    if maxSteps < 1 { throw .invalidParameter("DenseMemory: maxSteps must be >= 1") }
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
    self.dimension = dimension
    self.capacity = capacity
    self.interaction = interaction
    self.update = update
    self.maxSteps = maxSteps
    x = .allocate(capacity: capacity * dimension)
    x.initialize(repeating: 0, count: capacity * dimension)
    m = .allocate(capacity: capacity)
    m.initialize(repeating: 0, count: capacity)
    s = .allocate(capacity: dimension)
    s.initialize(repeating: 0, count: dimension)
    next = .allocate(capacity: dimension)
    next.initialize(repeating: 0, count: dimension)
    order = .allocate(capacity: dimension)
    order.initialize(repeating: 0, count: dimension)
    rng = SeededGenerator(seed: seed)
  }

  deinit {
    x.deallocate(); m.deallocate(); s.deallocate(); next.deallocate(); order.deallocate()
  }

  /// Stores one pattern; entries are taken by sign.
  public mutating func store(_ pattern: Span<Float>) throws(HebbianError) {
    try checkShape("DenseMemory pattern", dimension, pattern.count)
    if count == capacity {
      throw .invalidParameter("DenseMemory: capacity of \(capacity) patterns reached")
    }
    let row = x + count * dimension
    for j in 0..<dimension { row[j] = pattern[j] < 0 ? -1 : 1 }
    count += 1
  }

  public mutating func removeAll() { count = 0 }

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
      for mu in 0..<count { shift = max(shift, Double(m[mu]) - Double(x[mu * n + i]) * si) }
    }
    var d = 0.0
    for mu in 0..<count {
      let xi = Double(x[mu * n + i])
      let r = Double(m[mu]) - xi * si - shift
      d += f(r + xi) - f(r - xi)
    }
    return d
  }

  public mutating func recall(_ cue: Span<Float>, into state: inout MutableSpan<Float>)
    throws(HebbianError) -> RecallResult
  {
    try checkShape("DenseMemory cue", dimension, cue.count)
    try checkRoom("DenseMemory state", dimension, state.count)
    let n = dimension
    for i in 0..<n { s[i] = cue[i] < 0 ? -1 : 1 }
    var steps = 0
    var converged = false
    while steps < maxSteps {
      Kernels.unsafeGemv(rows: count, columns: n, x, lda: n, s, m)
      var changed = 0
      switch update {
      case .synchronous:
        for i in 0..<n { next[i] = drive(i) > 0 ? 1 : -1 }
        for i in 0..<n where next[i] != s[i] {
          s[i] = next[i]
          changed += 1
        }
      case .asynchronous:
        shuffleOrder(order, n, &rng)
        for k in 0..<n {
          let i = order[k]
          let v: Float = drive(i) > 0 ? 1 : -1
          if v != s[i] {
            for mu in 0..<count { m[mu] += 2 * v * x[mu * n + i] }
            s[i] = v
            changed += 1
          }
        }
      }
      if changed == 0 {
        converged = true
        break
      }
      steps += 1
    }
    for i in 0..<n { state[i] = s[i] }
    return RecallResult(steps: steps, converged: converged)
  }

  /// E(s) = −Σ_μ F(ξ^μ·s) (Double: F = exp overflows only beyond N ≈ 700).
  public func energy(_ state: Span<Float>) throws(HebbianError) -> Double {
    try checkShape("DenseMemory state", dimension, state.count)
    var e = 0.0
    for mu in 0..<count {
      var o = 0.0
      for j in 0..<dimension { o += Double(x[mu * dimension + j]) * (state[j] < 0 ? -1 : 1) }
      e -= f(o)
    }
    return e
  }
}
