import Hebbian

/// The binary pattern-completion task of Miconi et al. (2018), at any size.
///
/// Each episode draws `patterns` random ±1 patterns of `bits` bits, presents each of them
/// (in a fresh random order per cycle) for `presentationSteps` steps followed by
/// `delaySteps` steps of zero input, `cycles` times; then shows one of them with a random
/// `degradedFraction` of its bits zeroed for `testSteps` steps. The target is the full pattern:
/// a network can only complete it by storing the episode's patterns in its fast weights.
public struct PatternCompletionTask: Sendable {
  public var bits: Int
  public var patterns: Int
  public var cycles: Int
  public var presentationSteps: Int
  public var delaySteps: Int
  public var testSteps: Int
  public var degradedFraction: Double
  /// Input amplitude: the paper drives units with ±20 so that tanh saturates and a shown bit
  /// clamps its unit to ±1 whatever the recurrent current.
  public var inputScale: Float

  public init(
    bits: Int, patterns: Int = 2, cycles: Int = 2, presentationSteps: Int = 3,
    delaySteps: Int = 2, testSteps: Int = 3, degradedFraction: Double = 0.5,
    inputScale: Float = 20
  ) throws(HebbianError) {
    if bits < 2 || patterns < 1 || cycles < 1 || presentationSteps < 1 || delaySteps < 0
      || testSteps < 1 || !(degradedFraction >= 0 && degradedFraction < 1)
      || !(inputScale > 0 && inputScale.isFinite)
    {
      throw .invalidParameter(
        "pattern completion: need bits >= 2, patterns, cycles, presentation and test steps >= 1, delay >= 0, degraded fraction in [0, 1), input scale > 0"
      )
    }
    // The episode length and its input (steps x bits) in checked 64-bit arithmetic.
    let per = try StepCount.product(
      [presentationSteps + delaySteps], "pattern completion: steps per pattern")
    let shown = try StepCount.product(
      [patterns, cycles, per], "pattern completion: steps per episode")
    let steps = try StepCount.product(
      [1, shown + testSteps], "pattern completion: steps per episode")
    try MemoryBudget.check(
      "pattern completion", "\(steps) steps x \(bits) bits", [[steps, bits], [patterns, bits]])
    self.bits = bits
    self.patterns = patterns
    self.cycles = cycles
    self.presentationSteps = presentationSteps
    self.delaySteps = delaySteps
    self.testSteps = testSteps
    self.degradedFraction = degradedFraction
    self.inputScale = inputScale
  }

  /// Steps in one episode.
  public var steps: Int { patterns * cycles * (presentationSteps + delaySteps) + testSteps }

  /// Fills `inputs` (steps × bits, row-major) and `target` (bits) with a new episode.
  /// `scratch` must hold patterns × bits floats; nothing is allocated.
  public func episode(
    inputs: inout MutableSpan<Float>, target: inout MutableSpan<Float>,
    scratch: inout MutableSpan<Float>, rng: inout SeededGenerator
  ) throws(HebbianError) {
    let n = bits
    if inputs.count < steps * n {
      throw .dimensionMismatch(what: "episode inputs", expected: steps * n, got: inputs.count)
    }
    if target.count < n { throw .dimensionMismatch(what: "target", expected: n, got: target.count) }
    if scratch.count < patterns * n {
      throw .dimensionMismatch(what: "scratch", expected: patterns * n, got: scratch.count)
    }
    for i in 0..<(patterns * n) { scratch[i] = rng.sign() * inputScale }
    for i in 0..<(steps * n) { inputs[i] = 0 }
    var row = 0
    for _ in 0..<cycles {
      // A fresh order per cycle: Fisher–Yates over the pattern rows of `scratch`, in place.
      if patterns > 1 {
        for a in stride(from: patterns - 1, to: 0, by: -1) {
          let b = Int(rng.next() % UInt64(a + 1))
          if a != b {
            for j in 0..<n {
              let tmp = scratch[a * n + j]
              scratch[a * n + j] = scratch[b * n + j]
              scratch[b * n + j] = tmp
            }
          }
        }
      }
      for p in 0..<patterns {
        for _ in 0..<presentationSteps {
          for j in 0..<n { inputs[row * n + j] = scratch[p * n + j] }
          row += 1
        }
        row += delaySteps
      }
    }
    let chosen = Int(rng.next() % UInt64(patterns))
    for j in 0..<n { target[j] = scratch[chosen * n + j] > 0 ? 1 : -1 }
    let testStart = row
    for t in 0..<testSteps {
      for j in 0..<n { inputs[(testStart + t) * n + j] = scratch[chosen * n + j] }
    }
    // Zero the same random subset of bits in every test step.
    let zeroed = Int(degradedFraction * Double(n))
    var remaining = zeroed
    for j in 0..<n {
      // Selection sampling (Knuth's algorithm S): exactly `zeroed` bits, uniformly.
      let left = n - j
      if remaining > 0 && Double(rng.next() % UInt64(left)) < Double(remaining) {
        remaining -= 1
        for t in 0..<testSteps { inputs[(testStart + t) * n + j] = 0 }
      }
    }
  }
}
