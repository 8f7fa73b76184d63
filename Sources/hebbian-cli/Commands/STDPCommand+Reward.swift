import Hebbian
import HebbianExperiments

extension STDPCommand {
  // MARK: reward (Izhikevich 2007)

  static func reward(_ o: ParsedOptions) throws(CLIError) {
    var c = DistalReward.Configuration()
    c.inputs = try o.int(STDPOptions.inputs, default: 100, min: 2)
    c.rate = try positive(o, STDPOptions.rate, 5)
    c.rule.learningRate = Float(try positive(o, STDPOptions.eta, 0.1))
    c.maxDelay = try positive(o, STDPOptions.delay, 1000)
    c.minDelay = Swift.min(c.minDelay, c.maxDelay)
    c.gMax = Float(try positive(o, STDPOptions.gMax, 0.5))
    (c.seconds, c.dt, c.seed) = try clock(
      o, mode: "reward", seconds: 1200, dt: 1, synapses: c.inputs + c.backgroundInputs,
      inputsOption: STDPOptions.inputs)
    Console.errLine(
      "three-factor STDP (Izhikevich 2007): \(c.inputs) inputs at \(Fmt.fixed(c.rate, 1)) Hz; "
        + "input 0 is rewarded \(Fmt.fixed(c.minDelay, 0))-\(Fmt.fixed(c.maxDelay, 0)) ms after "
        + "it fires and the neuron fires within \(Fmt.fixed(c.pairingWindow, 0)) ms; "
        + "tau_c \(Fmt.fixed(c.rule.eligibilityTimeConstant, 0)) ms, tau_d "
        + "\(Fmt.fixed(c.rule.dopamineTimeConstant, 0)) ms, \(Fmt.fixed(c.seconds, 0)) s")
    Console.out("t_s,rewarded_w,others_w,rate_hz,rewards\n")
    let result = try usageErrors { () throws(HebbianError) in
      try DistalReward.run(c) { s in
        row(
          Fmt.fixed(s.time, 0), Fmt.fixed(s.rewardedWeight, 4), Fmt.fixed(s.otherWeight, 4),
          Fmt.fixed(s.rate, 1), "\(s.rewards)")
      }
    }
    Console.errLine(
      "rewarded synapse: \(Fmt.fixed(result.rewardedWeight, 3)) of w_max; others: "
        + "\(Fmt.fixed(result.otherWeight, 3)) of w_max (mean; \(Fmt.fixed(100 * result.othersAboveHalf, 1)) % "
        + "above half the rewarded one), \(result.rewards) rewards")
    // The control: dopamine at the same mean rate, unrelated to the pairings. If the rewarded
    // synapse grows here too, the contingency is not what selects it.
    // Without a single reward there is no rate to match (a rate of 0 would mean contingent).
    if result.rewards == 0 {
      Console.errLine("non-contingent control: not run (no rewards to match)")
    } else {
      var control = c
      control.randomRewardRate = Double(result.rewards) / c.seconds
      let random = try usageErrors { () throws(HebbianError) in try DistalReward.run(control) }
      Console.errLine(
        "non-contingent control (rewards at the same rate, \(Fmt.fixed(control.randomRewardRate, 3)) Hz, "
          + "unrelated to the pairings): input 0: \(Fmt.fixed(random.rewardedWeight, 3)) of w_max; others: "
          + "\(Fmt.fixed(random.otherWeight, 3)) (mean), \(random.rewards) rewards")
    }
    try plotTimeCourse(o, title: "Three-factor STDP (Izhikevich 2007)", yLabel: "w / w_max") {
      [
        .init(
          name: "rewarded", points: result.samples.map { ($0.time, Double($0.rewardedWeight)) }),
        .init(
          name: "others (mean)", points: result.samples.map { ($0.time, Double($0.otherWeight)) }),
      ]
    }
  }

  // MARK: scaling (homeostatic synaptic scaling)

  static func scaling(_ o: ParsedOptions) throws(CLIError) {
    var c = HomeostaticScaling.Configuration()
    c.inputRate = try positive(o, STDPOptions.rate, 5)
    c.targetRate = try positive(o, STDPOptions.target, 5)
    c.eta = try positive(o, STDPOptions.eta, 0.01)
    (c.seconds, c.dt, c.seed) = try clock(
      o, mode: "scaling", seconds: 200, dt: 0.5, minSeconds: 20, synapses: c.inputs)
    Console.errLine(
      "synaptic scaling: \(c.inputs) inputs at \(Fmt.fixed(c.inputRate, 1)) Hz, x\(Fmt.fixed(c.rateChange, 1)) "
        + "at \(Fmt.fixed(c.seconds / 2, 0)) s; target \(Fmt.fixed(c.targetRate, 1)) Hz, eta \(Fmt.sci(c.eta, 2))"
    )
    Console.out("t_s,rate_hz,mean_weight\n")
    let result = try usageErrors { () throws(HebbianError) in
      try HomeostaticScaling.run(c) { s in
        row(Fmt.fixed(s.time, 0), Fmt.fixed(s.rate, 1), Fmt.shortest(s.meanWeight))
      }
    }
    let half = c.seconds / 2
    let tail = Swift.min(20, half / 2)
    Console.errLine(
      "rate before the change: \(Fmt.fixed(result.rate(from: half - tail, to: half), 2)) Hz; "
        + "first 2 s after: \(Fmt.fixed(result.rate(from: half, to: half + 2), 2)) Hz; "
        + "last \(Fmt.fixed(tail, 0)) s: \(Fmt.fixed(result.rate(from: c.seconds - tail, to: c.seconds), 2)) Hz "
        + "(target \(Fmt.fixed(c.targetRate, 2)))")
    try plotRate(
      o, title: "Homeostatic synaptic scaling", target: c.targetRate, seconds: c.seconds
    ) { result.samples.map { ($0.time, $0.rate) } }
  }
}
