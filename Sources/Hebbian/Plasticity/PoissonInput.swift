/// Seeded Poisson spike trains for n input neurons, one step dt (ms) at a time.
///
/// A homogeneous group of m neurons at rate r is drawn as one Poisson count with mean
/// m r dt, each spike given to a neuron chosen uniformly: splitting a Poisson process with
/// independent uniform labels gives m independent Poisson processes of rate r, and the cost
/// is proportional to the number of spikes, not to m. Two spikes landing on the same neuron in
/// one step merge, as in any binned spike train (probability r dt).
public struct PoissonInput: ~Copyable {
  public let count: Int
  public let dt: Double
  /// 0/1 per input for the current step: the presynaptic spikes of a plasticity kernel.
  var spikes: OwnedBuffer<Float>
  /// Indices of the inputs that spiked this step (first `fired` entries), for sparse delivery.
  var indices: OwnedBuffer<Int>
  public private(set) var fired = 0
  var rng: SeededGenerator

  public init(count: Int, dt: Double, seed: UInt64) throws(HebbianError) {
    if count < 1 { throw .invalidParameter("input count must be >= 1, got \(count)") }
    try checkTimeStep(dt)
    try MemoryBudget.check("Poisson input", "\(count) inputs", [[2, count]])
    self.count = count
    self.dt = dt
    spikes = OwnedBuffer(count: count)
    indices = OwnedBuffer(count: count, repeating: 0)
    rng = SeededGenerator(seed: seed)
  }

  /// Clears the spikes of the previous step (O(spikes)).
  public mutating func beginStep() {
    for s in 0..<fired { spikes[indices[s]] = 0 }
    fired = 0
  }

  /// Draws this step's spikes of inputs `range` firing at `rate` Hz.
  public mutating func fire(_ range: Range<Int>, rate: Double) {
    precondition(range.lowerBound >= 0 && range.upperBound <= count, "input range")
    let m = range.count
    guard m > 0, rate > 0 else { return }
    var mean = Double(m) * rate * dt / 1000
    var n = 0
    // Knuth's product method, in chunks of mean ≤ 30 so e^(−mean) stays far from underflow.
    while mean > 0 {
      let chunk = min(mean, 30)
      mean -= chunk
      let limit = Math.exp(-chunk)
      var product = rng.uniform()
      while product > limit {
        n += 1
        product *= rng.uniform()
      }
    }
    for _ in 0..<n {
      let j = range.lowerBound + Int(rng.next() % UInt64(m))
      if spikes[j] == 0 {
        spikes[j] = 1
        indices[fired] = j
        fired += 1
      }
    }
  }

  /// One step of all inputs at the same rate (Hz).
  public mutating func step(rate: Double) {
    beginStep()
    fire(0..<count, rate: rate)
  }

  /// The index of the s-th input that spiked this step, s < ``fired``.
  public func spikeIndex(_ s: Int) -> Int { indices[s] }
  public func spiked(_ j: Int) -> Bool { spikes[j] != 0 }

  /// The generator, for scenario code that draws its own noise from the same seed.
  public mutating func uniform() -> Double { rng.uniform() }
  public mutating func gaussian() -> Double { rng.gaussian() }
}
