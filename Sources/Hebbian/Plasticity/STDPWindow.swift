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
    func step(_ t: Double) -> Int { Int(((t - first) / dt).rounded()) + 1 }
    let w0 = startingWeight(rule)
    var synapse = try STDPSynapses(post: 1, pre: 1, rule: rule, dt: dt, initialWeight: w0)
    var pre: [Float] = [0], post: [Float] = [0]
    for n in 0...(step(last) + 1) {
      pre[0] = preTimes.contains { step($0) == n } ? 1 : 0
      post[0] = postTimes.contains { step($0) == n } ? 1 : 0
      try synapse.step(preSpikes: pre.span, postSpikes: post.span)
    }
    return synapse.weight(post: 0, pre: 0) - w0
  }

  /// (Δt, Δw) from −range to +range ms every `spacing` ms, Δt = 0 left out (no change there).
  public static func curve(
    rule: STDPRule, range: Double = 100, spacing: Double = 1, dt: Double = 0.1
  ) throws(HebbianError) -> [(dt: Double, dw: Float)] {
    if !(range > 0 && spacing > 0) {
      throw .invalidParameter("window range and spacing must be > 0")
    }
    var out: [(dt: Double, dw: Float)] = []
    let n = Int((range / spacing).rounded(.down))
    for m in -n...n where m != 0 {
      let t = Double(m) * spacing
      out.append((t, try pairing(rule: rule, deltaT: t, dt: dt)))
    }
    return out
  }
}
