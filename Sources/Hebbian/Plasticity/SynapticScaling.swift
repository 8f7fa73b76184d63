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
  var estimates: OwnedBuffer<Double>
  var factors: OwnedBuffer<Float>
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
  public func scale(_ synapses: inout STDPSynapses) {
    precondition(synapses.rows == neurons, "scaling: synapse rows")
    let top = Swift.min(wMax, synapses.rule.wMax)
    let columns = synapses.columns
    synapses.w.elements.withMutableSpan { scale(&$0, columns, hi: top) }
  }

  package func scale(_ w: inout MutableSpan<Float>, _ columns: Int, hi top: Float) {
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
