/// What one retrieval did: how many update sweeps ran and whether the state stopped
/// changing before the step limit.
public struct RecallResult: Sendable, Equatable {
  /// Update sweeps (or integration steps) taken.
  public var steps: Int
  /// True when the final state is a fixed point of the dynamics (within tolerance for the
  /// continuous models); false when the step limit stopped the recall.
  public var converged: Bool

  public init(steps: Int, converged: Bool) {
    self.steps = steps
    self.converged = converged
  }
}

/// How a binary network updates its neurons during recall.
public enum UpdateOrder: Sendable, Equatable {
  /// All neurons at once from the previous state (can end in a 2-cycle; the step limit
  /// stops it).
  case synchronous
  /// One neuron at a time in a fresh random order per sweep, drawn from the memory's seeded
  /// generator. Never cycles for symmetric weights (the energy cannot increase).
  case asynchronous
}

/// The one API every memory in the library shares: store patterns one at a time, then
/// retrieve from a cue. `recall` writes the retrieved state into caller-owned storage and
/// never allocates.
///
/// ```swift
/// var memory = try HopfieldMemory(dimension: 100, capacity: 10)
/// try memory.store(pattern)                         // ±1 entries
/// var state = [Float](repeating: 0, count: 100)
/// let r = try memory.recall(noisyCue, into: &state) // state ≈ pattern, r.steps sweeps
/// ```
public protocol AssociativeMemory: ~Copyable {
  /// Number of neurons (entries of a pattern).
  var dimension: Int { get }
  /// Patterns stored so far.
  var count: Int { get }
  /// Stores one pattern of `dimension` entries.
  mutating func store(_ pattern: Span<Float>) throws(HebbianError)
  /// Runs the dynamics from `cue` and writes the final state into `state` (at least
  /// `dimension` entries).
  mutating func recall(_ cue: Span<Float>, into state: inout MutableSpan<Float>)
    throws(HebbianError) -> RecallResult
  /// Forgets every stored pattern, keeping the buffers (for sweeps over many pattern sets).
  mutating func removeAll()
}

extension AssociativeMemory where Self: ~Copyable {
  /// Stores one pattern given as an array.
  public mutating func store(_ pattern: [Float]) throws(HebbianError) {
    try store(pattern.span)
  }

  /// Recalls from an array cue into an array (which must hold `dimension` entries).
  @discardableResult
  public mutating func recall(_ cue: [Float], into state: inout [Float]) throws(HebbianError)
    -> RecallResult
  {
    var out = state.mutableSpan
    return try recall(cue.span, into: &out)
  }
}

@inline(__always)
func checkShape(_ what: String, _ expected: Int, _ got: Int) throws(HebbianError) {
  if got != expected { throw .dimensionMismatch(what: what, expected: expected, got: got) }
}

@inline(__always)
func checkRoom(_ what: String, _ expected: Int, _ got: Int) throws(HebbianError) {
  if got < expected { throw .dimensionMismatch(what: what, expected: expected, got: got) }
}

/// Fisher–Yates shuffle of 0..<n into `order`, from a seeded generator (no allocation).
@inline(__always)
func shuffleOrder(_ order: UnsafeMutablePointer<Int>, _ n: Int, _ rng: inout SeededGenerator) {
  for i in 0..<n { order[i] = i }
  var i = n - 1
  while i > 0 {
    let j = Int(rng.next() % UInt64(i + 1))
    let t = order[i]
    order[i] = order[j]
    order[j] = t
    i -= 1
  }
}
