/// The modern (continuous) Hopfield network of Ramsauer et al. (2020):
///   ξ ← X softmax(β Xᵀ ξ),
/// with the stored patterns as the columns of X — the attention update, keys and values both
/// the memories. Energy E(ξ) = −β⁻¹ log Σ_μ exp(β x_μ·ξ) + ½ ξ·ξ (constants dropped); each
/// update lowers it, and for well-separated patterns one update already lands next to the
/// nearest memory (error exponentially small in β times the separation).
public struct ModernHopfield: ~Copyable, AssociativeMemory {
  public let dimension: Int
  public let capacity: Int
  /// Inverse temperature: large β retrieves single patterns, small β averages them.
  public var beta: Float
  public var maxSteps: Int
  /// Converged when max_i |Δξ_i| ≤ tolerance · (1 + max_i |ξ_i|).
  public var tolerance: Float
  public private(set) var count = 0

  let x: UnsafeMutablePointer<Float>  // patterns as rows: capacity×N (X transposed)
  let p: UnsafeMutablePointer<Float>
  let a: UnsafeMutablePointer<Float>
  let b: UnsafeMutablePointer<Float>

  public init(
    dimension: Int, capacity: Int, beta: Float = 8, maxSteps: Int = 100,
    tolerance: Float = 1e-6
  ) throws(HebbianError) {
    if dimension < 1 || capacity < 1 {
      throw .invalidParameter("ModernHopfield: dimension and capacity must be >= 1")
    }
    if maxSteps < 1 { throw .invalidParameter("ModernHopfield: maxSteps must be >= 1") }
    if !(beta > 0) || !beta.isFinite {
      throw .invalidParameter("ModernHopfield: beta must be finite and > 0, got \(beta)")
    }
    try MemoryBudget.check(
      "ModernHopfield", "dimension \(dimension) with capacity \(capacity)",
      [[capacity, dimension], [capacity], [2, dimension]])
    self.dimension = dimension
    self.capacity = capacity
    self.beta = beta
    self.maxSteps = maxSteps
    self.tolerance = tolerance
    x = .allocate(capacity: capacity * dimension)
    x.initialize(repeating: 0, count: capacity * dimension)
    p = .allocate(capacity: capacity)
    p.initialize(repeating: 0, count: capacity)
    a = .allocate(capacity: dimension)
    a.initialize(repeating: 0, count: dimension)
    b = .allocate(capacity: dimension)
    b.initialize(repeating: 0, count: dimension)
  }

  deinit { x.deallocate(); p.deallocate(); a.deallocate(); b.deallocate() }

  public mutating func store(_ pattern: Span<Float>) throws(HebbianError) {
    try checkShape("ModernHopfield pattern", dimension, pattern.count)
    if count == capacity {
      throw .invalidParameter("ModernHopfield: capacity of \(capacity) patterns reached")
    }
    for j in 0..<dimension {
      if !pattern[j].isFinite { throw .nonFinite(index: j) }
      x[count * dimension + j] = pattern[j]
    }
    count += 1
  }

  public mutating func removeAll() { count = 0 }

  /// One update ξ' = X softmax(β Xᵀ ξ) from `from` into `to`; returns log Σ exp(β Xᵀξ).
  @inline(__always)
  func update(_ from: UnsafePointer<Float>, _ to: UnsafeMutablePointer<Float>) -> Float {
    let n = dimension
    Kernels.unsafeGemv(rows: count, columns: n, x, lda: n, from, p)
    let lse = Kernels.unsafeSoftmax(count, beta: beta, p, p)
    Kernels.unsafeGemvTransposed(rows: count, columns: n, x, lda: n, p, to)
    return lse
  }

  /// Iterates the update from `cue` until it stops moving (or `maxSteps` updates).
  public mutating func recall(_ cue: Span<Float>, into state: inout MutableSpan<Float>)
    throws(HebbianError) -> RecallResult
  {
    try checkShape("ModernHopfield cue", dimension, cue.count)
    try checkRoom("ModernHopfield state", dimension, state.count)
    if count == 0 { throw .invalidParameter("ModernHopfield: no stored patterns") }
    let n = dimension
    for i in 0..<n { a[i] = cue[i] }
    var cur = a, nxt = b
    var steps = 0
    var converged = false
    while steps < maxSteps {
      _ = update(cur, nxt)
      steps += 1
      var delta: Float = 0, size: Float = 0
      for i in 0..<n {
        delta = max(delta, abs(nxt[i] - cur[i]))
        size = max(size, abs(nxt[i]))
      }
      swap(&cur, &nxt)
      if delta <= tolerance * (1 + size) {
        converged = true
        break
      }
    }
    for i in 0..<n { state[i] = cur[i] }
    return RecallResult(steps: steps, converged: converged)
  }

  /// One update ξ' = X softmax(β Xᵀ ξ) (the attention step), written into `state`.
  public mutating func step(_ cue: Span<Float>, into state: inout MutableSpan<Float>)
    throws(HebbianError)
  {
    let saved = maxSteps
    maxSteps = 1
    defer { maxSteps = saved }
    _ = try recall(cue, into: &state)
  }

  /// E(ξ) = −β⁻¹ log Σ_μ exp(β x_μ·ξ) + ½ ξ·ξ.
  public func energy(_ state: Span<Float>) throws(HebbianError) -> Float {
    try checkShape("ModernHopfield state", dimension, state.count)
    if count == 0 { throw .invalidParameter("ModernHopfield: no stored patterns") }
    var half: Float = 0
    for i in 0..<dimension {
      a[i] = state[i]
      half += 0.5 * state[i] * state[i]
    }
    Kernels.unsafeGemv(rows: count, columns: dimension, x, lda: dimension, a, p)
    return -Kernels.unsafeSoftmax(count, beta: beta, p, p) / beta + half
  }
}
