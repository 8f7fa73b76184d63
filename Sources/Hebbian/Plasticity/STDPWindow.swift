/// The STDP window Δw(Δt), Δt = t_post − t_pre, measured by running the trace kernel on one
/// synapse through one pre/post pair, so it shows exactly what the simulations use.
public enum STDPWindow {
  /// The weight the pairing starts from: mid-range, so neither bound clips a small change
  /// (and soft bounds scale both sides by the same ½ (wMax − wMin)).
  public static func startingWeight(_ rule: STDPRule) -> Float {
    if rule.wMin.isFinite && rule.wMax.isFinite { return (rule.wMin + rule.wMax) / 2 }
    if rule.wMin.isFinite { return rule.wMin + 1 }
    if rule.wMax.isFinite { return rule.wMax - 1 }
    return 0
  }

  /// Δw after a single pre spike and a single post spike Δt ms apart (rounded to the step dt).
  /// Spikes at the same step give 0: each trace only counts earlier spikes.
  public static func pairing(rule: STDPRule, deltaT: Double, dt: Double = 0.1) throws(HebbianError)
    -> Float
  {
    try pairing(rule: rule, preTimes: [0], postTimes: [deltaT], dt: dt)
  }

  /// Δw after arbitrary pre and post spike times (ms), e.g. a burst, to compare pairings.
  public static func pairing(
    rule: STDPRule, preTimes: [Double], postTimes: [Double], dt: Double = 0.1
  ) throws(HebbianError) -> Float {
    if !(dt > 0) { throw .invalidParameter("dt must be > 0 ms") }
    var first = Double.infinity, last = -Double.infinity
    for t in preTimes + postTimes {
      first = min(first, t)
      last = max(last, t)
    }
    guard first.isFinite else { return 0 }
    var steps: [Int] = []
    for t in preTimes + postTimes {
      steps.append(try StepCount.of((t - first) / dt, "STDP pairing: spike times / dt") + 1)
    }
    let lastStep = try StepCount.of((last - first) / dt, "STDP pairing: spike times / dt") + 1
    let preCount = preTimes.count
    let w0 = startingWeight(rule)
    var synapse = try STDPSynapses(post: 1, pre: 1, rule: rule, dt: dt, initialWeight: w0)
    var pre: [Float] = [0], post: [Float] = [0]
    for n in 0...(lastStep + 1) {
      pre[0] = steps[..<preCount].contains(n) ? 1 : 0
      post[0] = steps[preCount...].contains(n) ? 1 : 0
      try synapse.step(preSpikes: pre.span, postSpikes: post.span)
    }
    return synapse.weight(post: 0, pre: 0) - w0
  }

  /// (Δt, Δw) from −range to +range ms every `spacing` ms, Δt = 0 left out (no change there).
  public static func curve(
    rule: STDPRule, range: Double = 100, spacing: Double = 1, dt: Double = 0.1
  ) throws(HebbianError) -> [(dt: Double, dw: Float)] {
    if !(range > 0 && spacing > 0 && range.isFinite && spacing.isFinite) {
      throw .invalidParameter("window range and spacing must be finite and > 0")
    }
    var out: [(dt: Double, dw: Float)] = []
    let n = try StepCount.of(range / spacing, "STDP window: range / spacing", rounding: .down)
    try MemoryBudget.check("STDP window", "\(n) points", [[2, n, 4]])
    for m in -n...n where m != 0 {
      let t = Double(m) * spacing
      out.append((t, try pairing(rule: rule, deltaT: t, dt: dt)))
    }
    return out
  }
}
