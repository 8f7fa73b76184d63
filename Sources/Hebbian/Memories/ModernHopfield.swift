/// The modern (continuous) Hopfield network of Ramsauer et al. (2020):
///   ξ ← X softmax(β Xᵀ ξ),
/// with the stored patterns as the columns of X — the attention update, keys and values both
/// the memories. Energy E(ξ) = −β⁻¹ log Σ_μ exp(β x_μ·ξ) + ½ ξ·ξ (constants dropped); each
/// update lowers it, and for well-separated patterns one update already lands next to the
/// nearest memory (error exponentially small in β times the separation).
public struct ModernHopfield: ~Copyable, AssociativeMemory {
  /// The stored patterns, one per row.
  var patterns: PatternStore
  public var dimension: Int { patterns.dimension }
  public var capacity: Int { patterns.capacity }
  /// Inverse temperature: large β retrieves single patterns, small β averages them.
  public var beta: Float
  public var maxSteps: Int
  /// Converged when max_i |Δξ_i| ≤ tolerance · (1 + max_i |ξ_i|).
  public var tolerance: Float
  public var count: Int { patterns.count }

  var p: OwnedBuffer<Float>
  var a: OwnedBuffer<Float>
  var b: OwnedBuffer<Float>

  public init(
    dimension: Int, capacity: Int, beta: Float = 8, maxSteps: Int = 100,
    tolerance: Float = 1e-6
  ) throws(HebbianError) {
    try checkSizes("ModernHopfield", dimension: dimension, capacity: capacity, maxSteps: maxSteps)
    if !(beta > 0) || !beta.isFinite {
      throw .invalidParameter("ModernHopfield: beta must be finite and > 0, got \(beta)")
    }
    try MemoryBudget.check(
      "ModernHopfield", "dimension \(dimension) with capacity \(capacity)",
      [[capacity, dimension], [capacity], [2, dimension]])
    patterns = PatternStore("ModernHopfield", dimension: dimension, capacity: capacity)
    self.beta = beta
    self.maxSteps = maxSteps
    self.tolerance = tolerance
    p = OwnedBuffer(count: capacity)
    a = OwnedBuffer(count: dimension)
    b = OwnedBuffer(count: dimension)
  }

  public mutating func store(_ pattern: Span<Float>) throws(HebbianError) {
    try patterns.append(pattern)
  }

  public mutating func removeAll() { patterns.removeAll() }

  /// One update ξ' = X softmax(β Xᵀ ξ) from `from` into `to`; returns log Σ exp(β Xᵀξ).
  @inline(__always)
  func update(_ from: borrowing OwnedBuffer<Float>, _ to: borrowing OwnedBuffer<Float>) -> Float {
    let n = dimension
    Kernels.unsafeGemv(rows: count, columns: n, patterns.rows.base, lda: n, from.base, p.base)
    let lse = Kernels.unsafeSoftmax(count, beta: beta, p.base, p.base)
    Kernels.unsafeGemvTransposed(
      rows: count, columns: n, patterns.rows.base, lda: n, p.base, to.base)
    return lse
  }

  /// One update from `from` into `to`; true once max_i |Δξ_i| ≤ tolerance · (1 + max_i |ξ_i|).
  func settles(_ from: borrowing OwnedBuffer<Float>, _ to: borrowing OwnedBuffer<Float>) -> Bool {
    _ = update(from, to)
    var delta: Float = 0, size: Float = 0
    for i in 0..<dimension {
      delta = max(delta, abs(to[i] - from[i]))
      size = max(size, abs(to[i]))
    }
    return delta <= tolerance * (1 + size)
  }

  /// Iterates the update from `cue` until it stops moving (or `maxSteps` updates).
  public mutating func recall(_ cue: Span<Float>, into state: inout MutableSpan<Float>)
    throws(HebbianError) -> RecallResult
  {
    try checkRecall("ModernHopfield", dimension, cue: cue.count, state: state.count)
    if count == 0 { throw .invalidParameter("ModernHopfield: no stored patterns") }
    try checkFiniteCue(cue)
    let n = dimension
    a.copy(cue)
    // The state alternates between a (even steps) and b (odd steps).
    var steps = 0
    var converged = false
    while steps < maxSteps {
      converged = steps % 2 == 0 ? settles(a, b) : settles(b, a)
      steps += 1
      if converged { break }
    }
    if steps % 2 == 0 {
      try checkFiniteState("ModernHopfield", a, n)
    } else {
      try checkFiniteState("ModernHopfield", b, n)
    }
    for i in 0..<n { state[i] = steps % 2 == 0 ? a[i] : b[i] }
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
  public mutating func energy(_ state: Span<Float>) throws(HebbianError) -> Float {
    try checkShape("ModernHopfield state", dimension, state.count)
    if count == 0 { throw .invalidParameter("ModernHopfield: no stored patterns") }
    try checkFiniteCue(state)
    var half: Float = 0
    for i in 0..<dimension {
      a[i] = state[i]
      half += 0.5 * state[i] * state[i]
    }
    Kernels.unsafeGemv(
      rows: count, columns: dimension, patterns.rows.base, lda: dimension, a.base, p.base)
    return -Kernels.unsafeSoftmax(count, beta: beta, p.base, p.base) / beta + half
  }
}
