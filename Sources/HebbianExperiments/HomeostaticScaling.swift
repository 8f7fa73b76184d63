import Hebbian

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
