/// Song, Miller & Abbott (2000): one conductance-based LIF neuron driven by many excitatory
/// Poisson inputs through STDP synapses (hard bounds [0, g_max], A₋/A₊ = 1.05) and by fixed
/// inhibitory Poisson inputs. Because the window's integral A₊τ₊ − A₋τ₋ is negative, inputs
/// that do not help fire the neuron lose on average; those whose spikes do precede output
/// spikes gain. The competition pushes the weights to the two bounds: a bimodal distribution,
/// with the output rate regulated to a moderate value whatever the input rate.
public enum CompetitiveSTDP {
  public struct Configuration: Sendable {
    public var inputs = 1000
    /// Excitatory input rate (Hz).
    public var rate = 10.0
    /// Upper weight bound, × g_leak.
    public var gMax: Float = 0.015
    /// A₊ as a fraction of g_max.
    public var aPlus: Float = 0.005
    /// A₋ / A₊.
    public var depressionRatio: Float = 1.05
    public var tau = 20.0
    public var inhibitoryInputs = 200
    public var inhibitoryRate = 10.0
    public var inhibitoryWeight: Float = 0.05
    public var seconds = 200.0
    public var dt = 0.5
    public var seed: UInt64 = 1
    public var neuron = LIFParameters.song2000
    public init() {}
  }

  public struct Result: Sendable {
    /// Final weights as fractions of g_max.
    public var weights: [Float]
    /// Output rate (Hz) in each simulated second.
    public var rates: [Double]
    /// Fraction of weights below 0.1 g_max and above 0.9 g_max.
    public var fractionLow: Double
    public var fractionHigh: Double
    /// Counts of weights/g_max in `bins` equal bins over [0, 1].
    public func histogram(bins: Int) -> [Int] {
      var h = [Int](repeating: 0, count: bins)
      for w in weights { h[min(bins - 1, max(0, Int(w * Float(bins))))] += 1 }
      return h
    }
  }

  public static func run(
    _ c: Configuration,
    progress: ((_ second: Int, _ rate: Double, _ meanWeight: Float) -> Void)? = nil
  ) throws(HebbianError) -> Result {
    if c.inputs < 1 || c.inhibitoryInputs < 0 {
      throw .invalidParameter("input counts must be >= 1")
    }
    if !(c.gMax > 0 && c.aPlus > 0 && c.depressionRatio > 0 && c.seconds > 0) {
      throw .invalidParameter("gMax, aPlus, depressionRatio and seconds must be > 0")
    }
    let rule = STDPRule.classic(
      aPlus: c.aPlus * c.gMax, aMinus: c.aPlus * c.depressionRatio * c.gMax, tauPlus: c.tau,
      tauMinus: c.tau, wMin: 0, wMax: c.gMax)
    var synapses = try STDPSynapses(post: 1, pre: c.inputs, rule: rule, dt: c.dt, initialWeight: 0)
    // Song et al. start from weights spread over the whole range.
    synapses.randomizeWeights(lo: 0, hi: c.gMax, seed: c.seed &+ 1)
    var excitatory = try PoissonInput(count: c.inputs, dt: c.dt, seed: c.seed &+ 2)
    var inhibitory = try PoissonInput(
      count: max(c.inhibitoryInputs, 1), dt: c.dt, seed: c.seed &+ 3)
    var neuron = try LIFPopulation(count: 1, parameters: c.neuron, dt: c.dt)
    let stepsPerSecond = try StepCount.of(1000 / c.dt, "competitive STDP: steps per second")
    let seconds = try StepCount.of(c.seconds, "competitive STDP: seconds", rounding: .up)
    _ = try StepCount.product([stepsPerSecond, seconds], "competitive STDP: time steps")
    var rates: [Double] = []
    rates.reserveCapacity(seconds)
    for second in 0..<seconds {
      neuron.resetSpikeCounts()
      for _ in 0..<stepsPerSecond {
        excitatory.step(rate: c.rate)
        synapses.deliver(excitatory, to: &neuron)
        if c.inhibitoryInputs > 0 {
          inhibitory.step(rate: c.inhibitoryRate)
          neuron.addInhibitory(Float(inhibitory.fired) * c.inhibitoryWeight, to: 0)
        }
        neuron.step()
        synapses.step(pre: excitatory, post: neuron)
      }
      let rate = Double(neuron.spikeCount(0))
      rates.append(rate)
      progress?(second, rate, synapses.meanWeight / c.gMax)
    }
    var weights = synapses.row(0)
    var low = 0, high = 0
    for j in 0..<weights.count {
      weights[j] /= c.gMax
      if weights[j] < 0.1 { low += 1 }
      if weights[j] > 0.9 { high += 1 }
    }
    return Result(
      weights: weights, rates: rates, fractionLow: Double(low) / Double(c.inputs),
      fractionHigh: Double(high) / Double(c.inputs))
  }
}
