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

/// The checks of every `recall`: a cue of `n` entries, room for `n` in the state.
@inline(__always)
func checkRecall(_ memory: String, _ n: Int, cue: Int, state: Int) throws(HebbianError) {
  try checkShape("\(memory) cue", n, cue)
  try checkRoom("\(memory) state", n, state)
}

/// The capacity check of `store`, after the pattern's own checks.
@inline(__always)
func checkCapacity(_ what: String, _ count: Int, _ capacity: Int) throws(HebbianError) {
  if count == capacity {
    throw .invalidParameter("\(what): capacity of \(capacity) patterns reached")
  }
}

/// The common parameter checks of a memory's initialiser, in the order every memory reports them.
func checkSizes(_ what: String, dimension: Int, capacity: Int, maxSteps: Int) throws(HebbianError) {
  if dimension < 1 || capacity < 1 {
    throw .invalidParameter("\(what): dimension and capacity must be >= 1")
  }
  if maxSteps < 1 { throw .invalidParameter("\(what): maxSteps must be >= 1") }
}

/// The coding level f of a memory of sparse 0/1 patterns, the fraction of active entries: the
/// stored patterns are centred on it, so it must lie strictly between 0 and 1.
func checkCodingLevel(_ what: String, _ f: Double) throws(HebbianError) {
  if !(f > 0 && f < 1) { throw .invalidParameter("\(what): coding level must be in (0, 1)") }
}

/// Writes sign(`values`) as ±1 (negative → −1, otherwise +1) into `buffer` from `offset` on.
@inline(__always)
func storeSigns(
  _ values: Span<Float>, into buffer: inout OwnedBuffer<Float>, at offset: Int = 0
) {
  for j in 0..<values.count { buffer[offset + j] = values[j] < 0 ? -1 : 1 }
}

/// Copies `values` into `buffer` from `offset` on, refusing a NaN or an infinity.
func storeFinite(_ values: Span<Float>, into buffer: inout OwnedBuffer<Float>, at offset: Int)
  throws(HebbianError)
{
  for j in 0..<values.count {
    if !values[j].isFinite { throw .nonFinite(index: j) }
    buffer[offset + j] = values[j]
  }
}

/// Refuses a cue with a NaN or an infinity: continuous dynamics would carry it everywhere.
func checkFiniteCue(_ cue: Span<Float>) throws(HebbianError) {
  for j in 0..<cue.count where !cue[j].isFinite { throw .nonFinite(index: j) }
}

/// Refuses a recalled state that overflowed float32 (a finite cue too large for the
/// dynamics); checked before the state is handed out.
func checkFiniteState(_ memory: String, _ state: borrowing OwnedBuffer<Float>, _ n: Int)
  throws(HebbianError)
{
  for j in 0..<n where !state[j].isFinite {
    throw .diverged(
      "\(memory): the dynamics overflowed float32 at neuron \(j) (cue too large for the model's gain)"
    )
  }
}

/// One synchronous step of a 0/1 network over its first `n` neurons, as the `next` of
/// ``iterateSynchronous(maxSteps:count:state:next:previous:_:)``: a rate becomes 1 where its
/// field is above `theta`, else 0, written over the fields `h`.
@inline(__always)
func thresholdStep(fields h: inout OwnedBuffer<Float>, _ n: Int, above theta: Float) {
  for i in 0..<n { h[i] = h[i] > theta ? 1 : 0 }
}

/// Runs `sweep` (which returns how many neurons changed) until a sweep changes nothing or
/// `maxSteps` sweeps have changed something.
@inline(__always)
func iterate(maxSteps: Int, _ sweep: () -> Int) -> RecallResult {
  var steps = 0
  while steps < maxSteps {
    if sweep() == 0 { return RecallResult(steps: steps, converged: true) }
    steps += 1
  }
  return RecallResult(steps: steps, converged: false)
}

/// ``iterate(maxSteps:_:)`` for a synchronous update r ← F(r) of `n` entries whose next state
/// depends on the current one alone: `next()` writes F(r) into `h`, and a sweep that changes
/// something moves r to `previous` and h to r. Once a sweep returns to the state of two sweeps
/// before, the states alternate until `maxSteps` (every sweep of a 2-cycle changes something),
/// so the run stops there with the state the last sweep would leave, r or F(r) by the parity
/// of the sweeps left, and the result the full run returns: the same state and result bit for
/// bit without the sweeps through the cycle, where most probes beyond capacity would spend
/// their remaining sweeps.
@inline(__always)
func iterateSynchronous(
  maxSteps: Int, count n: Int, state r: UnsafeMutablePointer<Float>,
  next h: UnsafeMutablePointer<Float>, previous: UnsafeMutablePointer<Float>,
  _ next: () -> Void
) -> RecallResult {
  var steps = 0
  while steps < maxSteps {
    next()
    var changed = false
    var back = steps >= 1
    for i in 0..<n {
      if h[i] != r[i] { changed = true }
      if h[i] != previous[i] { back = false }
    }
    if !changed { return RecallResult(steps: steps, converged: true) }
    steps += 1
    if back {
      if (maxSteps - steps) % 2 == 0 { r.update(from: h, count: n) }
      return RecallResult(steps: maxSteps, converged: false)
    }
    previous.update(from: r, count: n)
    r.update(from: h, count: n)
  }
  return RecallResult(steps: steps, converged: false)
}

/// One asynchronous sweep of a ±1 state in the order `order` (shuffled by the caller): neuron i,
/// now `state(i)`, takes `next(i)`; on a change `flip(i, v)` moves s_i to v (and whatever
/// follows s). The caller's closures own the state, so the sweep never holds it while `next`
/// reads it. Returns the flips.
@inline(__always)
func asynchronousSweep(
  order: borrowing OwnedBuffer<Int>, state: (Int) -> Float, next: (Int) -> Float,
  flip: (Int, Float) -> Void
) -> Int {
  var changed = 0
  for k in 0..<order.count {
    let i = order[k]
    let v = next(i)
    if v != state(i) {
      flip(i, v)
      changed += 1
    }
  }
  return changed
}

/// Fisher–Yates shuffle of 0..<n into `order`, from a seeded generator (no allocation).
@inline(__always)
func shuffleOrder(_ order: inout OwnedBuffer<Int>, _ rng: inout SeededGenerator) {
  for i in 0..<order.count { order[i] = i }
  let n = order.count
  order.withMutableSpan { shuffle(&$0, count: n, &rng) }
}
