/// Homeostatic synaptic scaling (Turrigiano et al. 1998; the rule of van Rossum, Bi &
/// Turrigiano 2000): every neuron low-pass filters its own spike train into a rate estimate
/// r̂_i (time constant τ_r) and multiplies all of its excitatory weights by one common factor,
///
///     τ_r dr̂_i/dt = −r̂_i + Σ δ(t − t_i),      dw_ij/dt = η w_ij (ρ_target − r̂_i).
///
/// Multiplicative: the relative strengths of a neuron's synapses, and so whatever Hebbian
/// learning wrote into them, are kept, while their overall scale is moved until the neuron fires
/// at ρ_target again. The step applies the exact factor e^(η (ρ − r̂) dt), so weights stay
/// positive for any rate error. For the loop to settle without ringing, the scaling time
/// 1/(η ρ) must be long against τ_r (biology: hours against minutes).
public struct SynapticScaling: ~Copyable {
  public let neurons: Int
  /// ρ_target (Hz).
  public var targetRate: Double
  /// η, per Hz of rate error per second.
  public var rate: Double
  /// τ_r (ms).
  public let rateTimeConstant: Double
  public let dt: Double
  /// Upper bound of every weight after scaling.
  public var wMax: Float
  let estimates: OwnedBuffer<Double>
  let factors: OwnedBuffer<Float>
  let keep: Double

  public init(
    neurons: Int, targetRate: Double, rate: Double = 0.01, rateTimeConstant: Double = 1000,
    dt: Double, wMax: Float = .greatestFiniteMagnitude
  ) throws(HebbianError) {
    if neurons < 1 { throw .invalidParameter("synaptic scaling: neurons must be >= 1") }
    if !(targetRate > 0 && targetRate.isFinite && rate >= 0 && rate.isFinite) {
      throw .invalidParameter("synaptic scaling: target rate must be > 0 and rate >= 0")
    }
    if !(rateTimeConstant > 0 && dt > 0 && dt.isFinite && wMax > 0) {
      throw .invalidParameter("synaptic scaling: time constant, dt and wMax must be > 0")
    }
    self.neurons = neurons
    self.targetRate = targetRate
    self.rate = rate
    self.rateTimeConstant = rateTimeConstant
    self.dt = dt
    self.wMax = wMax
    keep = Math.exp(-dt / rateTimeConstant)
    // The estimate starts at the target, so scaling waits for evidence before it acts.
    estimates = OwnedBuffer(count: neurons, repeating: targetRate)
    factors = OwnedBuffer(count: neurons, repeating: 1)
  }

  /// One dt: updates each neuron's rate estimate from its 0/1 spike of this step.
  public mutating func observe(spikes: Span<Float>) throws(HebbianError) {
    if spikes.count != neurons {
      throw .dimensionMismatch(what: "scaling: spikes", expected: neurons, got: spikes.count)
    }
    advance(spikes)
  }

  /// One dt: the spikes of a LIF population's last step.
  public mutating func observe(_ post: borrowing LIFPopulation) {
    precondition(post.count == neurons, "scaling: population size")
    advance(post.spikes.span)
  }

  mutating func advance(_ s: Span<Float>) {
    // A spike adds 1/τ_r (in Hz) to the estimate: r̂ is the exponentially weighted rate.
    let jump = 1000 / rateTimeConstant
    let step = rate * dt / 1000
    for i in 0..<neurons {
      estimates[i] = estimates[i] * keep + Double(s[i]) * jump
      factors[i] = Float(Math.exp(step * (targetRate - estimates[i])))
    }
  }

  /// Multiplies row i of `weights` (neurons × columns, row-major) by neuron i's factor of the
  /// last ``observe(spikes:)``, clipped to [0, wMax].
  public func scale(weights: inout MutableSpan<Float>, columns: Int) throws(HebbianError) {
    if weights.count != neurons * columns {
      throw .dimensionMismatch(
        what: "scaling: weights", expected: neurons * columns, got: weights.count)
    }
    scale(&weights, columns, hi: wMax)
  }

  /// Scales the rows of a block of STDP synapses (post i ↔ neuron i), within its bounds.
  public func scale(_ synapses: borrowing STDPSynapses) {
    precondition(synapses.rows == neurons, "scaling: synapse rows")
    let top = Swift.min(wMax, synapses.rule.wMax)
    synapses.w.elements.withMutableSpan { scale(&$0, synapses.columns, hi: top) }
  }

  func scale(_ w: inout MutableSpan<Float>, _ columns: Int, hi top: Float) {
    for i in 0..<neurons where factors[i] != 1 {
      let f = factors[i]
      for j in i * columns..<(i + 1) * columns { w[j] = Swift.min(Swift.max(w[j] * f, 0), top) }
    }
  }

  /// r̂_i (Hz).
  public func rateEstimate(_ i: Int) -> Double {
    precondition(i >= 0 && i < neurons, "neuron index")
    return estimates[i]
  }
}

/// One LIF neuron driven by `inputs` Poisson inputs through weights under ``SynapticScaling``;
/// halfway through, the input rate changes by `rateChange` (× the original). The neuron's rate
/// jumps with its input and scaling brings it back to the target.
public enum HomeostaticScaling {
  public struct Configuration: Sendable {
    public var inputs = 200
    public var inputRate = 5.0
    /// Factor applied to the input rate at half time.
    public var rateChange = 2.0
    public var initialWeight: Float = 0.05
    public var targetRate = 5.0
    public var eta = 0.01
    public var rateTimeConstant = 1000.0
    public var seconds = 200.0
    public var dt = 0.5
    public var seed: UInt64 = 1
    public var neuron = LIFParameters.song2000
    public init() {}
  }

  public struct Sample: Sendable {
    public var time: Double
    /// Output rate over the last second (Hz) and mean weight (× g_L).
    public var rate: Double
    public var meanWeight: Float
  }

  public struct Result: Sendable {
    /// One sample per second.
    public var samples: [Sample]
    /// Mean rate (Hz) over samples in (from, to] seconds.
    public func rate(from: Double, to: Double) -> Double {
      var r = 0.0, n = 0.0
      for s in samples where s.time > from && s.time <= to {
        r += s.rate
        n += 1
      }
      return n > 0 ? r / n : 0
    }
  }

  public static func run(_ c: Configuration, progress: ((Sample) -> Void)? = nil)
    throws(HebbianError) -> Result
  {
    if c.inputs < 1 || !(c.inputRate > 0 && c.rateChange > 0 && c.seconds >= 2) {
      throw .invalidParameter("scaling: need inputs >= 1, rates > 0 and >= 2 s")
    }
    var scaling = try SynapticScaling(
      neurons: 1, targetRate: c.targetRate, rate: c.eta, rateTimeConstant: c.rateTimeConstant,
      dt: c.dt)
    var weights = [Float](repeating: c.initialWeight, count: c.inputs)
    var input = try PoissonInput(count: c.inputs, dt: c.dt, seed: c.seed &+ 31)
    var neuron = try LIFPopulation(count: 1, parameters: c.neuron, dt: c.dt)
    let perSecond = try StepCount.of(1000 / c.dt, "scaling: steps per second")
    let seconds = try StepCount.of(c.seconds, "scaling: seconds")
    _ = try StepCount.product([perSecond, seconds], "scaling: time steps")
    var samples: [Sample] = []
    samples.reserveCapacity(seconds)
    for second in 0..<seconds {
      let rate = 2 * second < seconds ? c.inputRate : c.inputRate * c.rateChange
      neuron.resetSpikeCounts()
      for _ in 0..<perSecond {
        input.step(rate: rate)
        for s in 0..<input.fired { neuron.addExcitatory(weights[input.spikeIndex(s)], to: 0) }
        neuron.step()
        scaling.observe(neuron)
        var ws = weights.mutableSpan
        scaling.scale(&ws, c.inputs, hi: scaling.wMax)
      }
      var mean: Float = 0
      for w in weights { mean += w }
      let sample = Sample(
        time: Double(second + 1), rate: Double(neuron.spikeCount(0)),
        meanWeight: mean / Float(c.inputs))
      samples.append(sample)
      progress?(sample)
    }
    return Result(samples: samples)
  }
}
