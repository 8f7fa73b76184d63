/// The classical Hopfield network (Hopfield 1982) on ±1 neurons.
///
/// Weights W = (1/N) Σ_μ ξ^μ ξ^μᵀ with a zero diagonal, stored one pattern at a time
/// (Hebbian), or by Storkey's (1997) incremental local rule, which removes part of the
/// cross-talk and raises the capacity. Recall iterates s_i ← +1 if Σ_j W_ij s_j > θ_i, else −1,
/// synchronously or asynchronously (seeded random order) until a fixed point or the step
/// limit. Energy E(s) = −½ sᵀ W s + θᵀ s.
///
/// The weights are kept as N·W, which for the Hebbian rule holds integers: every field is
/// then an exact integer (while N·P < 2^24), ties are exact, and the two evaluation paths
/// agree bit for bit:
/// - the weight form h = (N W) s, O(N²) per sweep;
/// - the overlap form h_i = Σ_μ ξ^μ_i m_μ − P s_i with m_μ = N − 2·popcount(ξ^μ ⊕ s) on
///   bit-packed patterns, O(P·N) per sweep. Chosen automatically when P ≤ N/4.
public struct HopfieldMemory: ~Copyable, AssociativeMemory {
  public enum StorageRule: Sendable, Equatable {
    /// W += (1/N) ξ ξᵀ. Capacity ≈ 0.138 N (Amit, Gutfreund & Sompolinsky 1985).
    case hebbian
    /// W += (1/N)(ξ ξᵀ − ξ hᵀ − h ξᵀ) with h_ij = Σ_{k≠i,j} W_ik ξ_k (Storkey 1997).
    case storkey
  }

  /// Which evaluation of the field recall uses.
  public enum FieldPath: Sendable, Equatable {
    /// Overlaps when the rule is Hebbian and P ≤ N/4, weights otherwise.
    case automatic
    case weights
    /// Bit-packed overlaps (Hebbian only; falls back to weights for Storkey).
    case overlaps
  }

  public let dimension: Int
  public let capacity: Int
  public let rule: StorageRule
  public var update: UpdateOrder
  public var maxSteps: Int
  public var path: FieldPath = .automatic
  public internal(set) var count = 0

  let words: Int
  var v: OwnedBuffer<Float>  // N·W, N×N
  var x: OwnedBuffer<Float>  // stored patterns, capacity×N (±1)
  var bits: OwnedBuffer<UInt64>  // packed patterns, capacity×words
  var sbits: OwnedBuffer<UInt64>
  var m: OwnedBuffer<Float>
  var h: OwnedBuffer<Float>
  var s: OwnedBuffer<Float>
  var theta: OwnedBuffer<Float>  // N·θ
  var order: OwnedBuffer<Int>
  var rng: SeededGenerator

  public init(
    dimension: Int, capacity: Int, rule: StorageRule = .hebbian,
    update: UpdateOrder = .asynchronous, maxSteps: Int = 100, seed: UInt64 = 0
  ) throws(HebbianError) {
    if dimension < 1 { throw .invalidParameter("HopfieldMemory: dimension must be >= 1") }
    if capacity < 1 { throw .invalidParameter("HopfieldMemory: capacity must be >= 1") }
    if maxSteps < 1 { throw .invalidParameter("HopfieldMemory: maxSteps must be >= 1") }
    try MemoryBudget.check(
      "HopfieldMemory", "dimension \(dimension) with capacity \(capacity)",
      [
        [dimension, dimension], [capacity, dimension], [capacity, dimension / 32 + 2],
        [8, dimension],
      ])
    self.dimension = dimension
    self.capacity = capacity
    self.rule = rule
    self.update = update
    self.maxSteps = maxSteps
    words = (dimension + 63) / 64
    v = OwnedBuffer(count: dimension * dimension)
    x = OwnedBuffer(count: capacity * dimension)
    bits = OwnedBuffer(count: capacity * words, repeating: 0)
    sbits = OwnedBuffer(count: words, repeating: 0)
    m = OwnedBuffer(count: capacity)
    h = OwnedBuffer(count: dimension)
    s = OwnedBuffer(count: dimension)
    theta = OwnedBuffer(count: dimension)
    order = OwnedBuffer(count: dimension, repeating: 0)
    rng = SeededGenerator(seed: seed)
  }

  /// True when recall evaluates the field by bit-packed overlaps.
  public var usesOverlaps: Bool {
    guard rule == .hebbian else { return false }
    switch path {
    case .automatic: return 4 * count <= dimension
    case .weights: return false
    case .overlaps: return true
    }
  }

  /// Sets the thresholds θ (N entries, each finite with |θ| ≤ 1e30; zero by default).
  public mutating func setThresholds(_ t: Span<Float>) throws(HebbianError) {
    try checkShape("HopfieldMemory thresholds", dimension, t.count)
    // Checked before any is set, so a refused call leaves the thresholds as they were. The
    // bound keeps N·θ and the energy's Σθ_i s_i finite for every N the budget allows.
    for i in 0..<dimension {
      if !t[i].isFinite { throw .nonFinite(index: i) }
      if Swift.abs(t[i]) > 1e30 {
        throw .invalidParameter(
          "HopfieldMemory thresholds: |θ| must be at most 1e30, got \(t[i]) at index \(i)")
      }
    }
    for i in 0..<dimension { theta[i] = Float(dimension) * t[i] }
  }

  /// W_ij (the 1/N-scaled weight).
  public func weight(_ i: Int, _ j: Int) -> Float {
    precondition(i >= 0 && i < dimension && j >= 0 && j < dimension, "weight index")
    return v[i * dimension + j] / Float(dimension)
  }

  /// Stores one pattern; entries are taken by sign (negative → −1, otherwise +1). NaN has no
  /// sign: a pattern holding one is refused and nothing is stored.
  public mutating func store(_ pattern: Span<Float>) throws(HebbianError) {
    try checkShape("HopfieldMemory pattern", dimension, pattern.count)
    for j in 0..<dimension where pattern[j].isNaN { throw .nonFinite(index: j) }
    try checkCapacity("HopfieldMemory", count, capacity)
    let n = dimension
    storeSigns(pattern, into: &x, at: count * n)
    let row = x.at(count * n)
    Kernels.unsafePackSigns(n, row, bits.at(count * words))
    switch rule {
    case .hebbian:
      Kernels.unsafeGer(rows: n, columns: n, alpha: 1, row, row, v.base, lda: n)
    case .storkey:
      // In units of N·W, with u = (N W) ξ, the rule reads
      // ΔV = ξξᵀ − (1/N)(ξ uᵀ + u ξᵀ) + (2/N) V: excluding k = i, j from h_ij gives back
      // W_ij ξ_j ξ_j = W_ij twice (ξ² = 1, W symmetric, zero diagonal).
      Kernels.unsafeGemv(rows: n, columns: n, v.base, lda: n, row, h.base)
      let inv = 1 / Float(n)
      for k in 0..<(n * n) { v[k] *= 1 + 2 * inv }
      Kernels.unsafeGer(rows: n, columns: n, alpha: 1, row, row, v.base, lda: n)
      Kernels.unsafeGer(rows: n, columns: n, alpha: -inv, row, h.base, v.base, lda: n)
      Kernels.unsafeGer(rows: n, columns: n, alpha: -inv, h.base, row, v.base, lda: n)
    }
    for i in 0..<n { v[i * n + i] = 0 }
    count += 1
  }

  public mutating func removeAll() {
    v.fill(0)
    count = 0
  }

  /// Runs the dynamics from the sign of `cue` and writes the ±1 final state into `state`.
  public mutating func recall(_ cue: Span<Float>, into state: inout MutableSpan<Float>)
    throws(HebbianError) -> RecallResult
  {
    try checkRecall("HopfieldMemory", dimension, cue: cue.count, state: state.count)
    storeSigns(cue, into: &s)
    let (overlaps, synchronous) = (usesOverlaps, update == .synchronous)
    let result = iterate(maxSteps: maxSteps) {
      switch (synchronous, overlaps) {
      case (true, true): syncOverlapSweep()
      case (true, false): syncWeightSweep()
      case (false, true): asyncOverlapSweep()
      case (false, false): asyncWeightSweep()
      }
    }
    for i in 0..<dimension { state[i] = s[i] }
    return result
  }

  /// E(s) = −½ sᵀ W s + θᵀ s for a state given by sign.
  public mutating func energy(_ state: Span<Float>) throws(HebbianError) -> Float {
    try checkShape("HopfieldMemory state", dimension, state.count)
    let n = dimension
    storeSigns(state, into: &s)
    Kernels.unsafeGemv(rows: n, columns: n, v.base, lda: n, s.base, h.base)
    var e: Float = 0
    for i in 0..<n { e += s[i] * (-0.5 * h[i] + theta[i]) }
    return e / Float(n)
  }

  // MARK: Sweeps; each returns the number of neurons that flipped.

  @inline(__always)
  func decide(_ i: Int, _ field: Float) -> Float { field > theta[i] ? 1 : -1 }

  mutating func syncWeightSweep() -> Int {
    let n = dimension
    Kernels.unsafeGemv(rows: n, columns: n, v.base, lda: n, s.base, h.base)
    return commitSync()
  }

  mutating func syncOverlapSweep() -> Int {
    let n = dimension
    Kernels.unsafePackSigns(n, s.base, sbits.base)
    Kernels.unsafeBitOverlap(patterns: count, bits: n, bits.base, ldxi: words, sbits.base, m.base)
    Kernels.unsafeGemvTransposed(rows: count, columns: n, x.base, lda: n, m.base, h.base)
    // The zero diagonal: (N W)_ii would be P, so subtract P s_i from Σ_μ ξ^μ_i m_μ.
    let p = Float(count)
    for i in 0..<n { h[i] -= p * s[i] }
    return commitSync()
  }

  mutating func commitSync() -> Int {
    var changed = 0
    for i in 0..<dimension {
      let next = decide(i, h[i])
      if next != s[i] {
        s[i] = next
        changed += 1
      }
    }
    return changed
  }

  mutating func asyncWeightSweep() -> Int {
    let n = dimension
    shuffleOrder(&order, &rng)
    return asynchronousSweep(order: order) { i in s[i] } next: { i in
      decide(i, Kernels.unsafeDot(n, v.at(i * n), s.base))
    } flip: { i, value in
      s[i] = value
    }
  }

  mutating func asyncOverlapSweep() -> Int {
    let n = dimension
    let p = count
    Kernels.unsafePackSigns(n, s.base, sbits.base)
    Kernels.unsafeBitOverlap(patterns: p, bits: n, bits.base, ldxi: words, sbits.base, m.base)
    shuffleOrder(&order, &rng)
    return asynchronousSweep(order: order) { i in s[i] } next: { i in
      var field: Float = 0
      for mu in 0..<p { field += x[mu * n + i] * m[mu] }
      field -= Float(p) * s[i]
      return decide(i, field)
    } flip: { i, next in
      // s_i moves by 2·next, so every overlap moves by 2·next·ξ^μ_i.
      for mu in 0..<p { m[mu] += 2 * next * x[mu * n + i] }
      s[i] = next
    }
  }
}
