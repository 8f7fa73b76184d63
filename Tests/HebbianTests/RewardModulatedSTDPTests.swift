import Testing

@testable import Hebbian
@testable import HebbianExperiments

/// Three-factor STDP (Izhikevich 2007): pairings tag synapses, dopamine turns tags into
/// weight changes, and a reward delayed by up to a second finds the synapse that earned it.
@Suite struct RewardModulatedSTDPTests {
  /// One synapse, dt = 1 ms: a pre spike at 0 ms and a post spike at `post` ms, then a reward
  /// `delay` ms after the later spike, then `after` ms more. Returns (Δw, tag just before the
  /// reward).
  static func pairing(post: Double, delay: Double, pulse: Float, tonic: Float = 0) throws
    -> (dw: Float, tag: Float)
  {
    var p = RewardModulatedSTDP.Parameters.izhikevich2007
    p.tonicDopamine = tonic
    var s = try RewardModulatedSTDP(post: 1, pre: 1, parameters: p, dt: 1, initialWeight: 0.5)
    // Both spikes at t ≥ 0: the pre spike at max(0, −post), the post spike at max(0, post).
    let tPre = max(0, -post), tPost = max(0, post)
    let last = Int(max(post, 0) + delay) + 2000
    var tag: Float = 0
    for n in 0..<last {
      let t = Double(n)
      let pre: [Float] = [t == tPre ? 1 : 0]
      let po: [Float] = [t == tPost ? 1 : 0]
      if t == max(post, 0) + delay {
        tag = s.eligibility(post: 0, pre: 0)
        s.reward(pulse)
      }
      try s.step(preSpikes: pre.span, postSpikes: po.span)
    }
    return (s.weight(post: 0, pre: 0) - 0.5, tag)
  }

  /// Without dopamine a pairing only tags: the weight does not move (exactly 0), and the tag is
  /// A₊ e^(−Δt/τ₊) decayed by e^(−delay/τ_c).
  @Test func pairingsTagButDoNotChangeWeightsWithoutDopamine() throws {
    let r = try Self.pairing(post: 10, delay: 500, pulse: 0)
    #expect(r.dw == 0)
    // Tag right after the pairing: e^(−10/20) (the post spike sees the pre trace decayed over
    // 10 steps), then 499 steps of e^(−1/1000) before the reward's step reads it; float
    // rounding of the per-step factors stays below 1e-4.
    let expected = Float(Math.exp(-10.0 / 20) * Math.exp(-499.0 / 1000))
    #expect(abs(r.tag - expected) < 1e-4, "tag \(r.tag) vs \(expected)")
  }

  /// A reward 500 ms after a causal pairing potentiates by η c d τ_d-ish: with the tag c₀ at the
  /// reward and the pulse decaying with τ_d while the tag decays with τ_c, the change is
  /// η c₀ P ∫ e^(−t/τ_d) e^(−t/τ_c) dt = η c₀ P / (1/τ_d + 1/τ_c) (seconds). An anti-causal
  /// pairing depresses by the A₋ side instead.
  @Test func delayedRewardPotentiatesCausalAndDepressesAntiCausalPairings() throws {
    let causal = try Self.pairing(post: 10, delay: 500, pulse: 0.5)
    let integral = Float(1 / (1 / 0.2 + 1 / 1.0))  // s
    let predicted = causal.tag * 0.5 * integral
    // Discretisation (1 ms steps against τ_d = 200 ms): < 1 % of the change.
    #expect(causal.dw > 0)
    #expect(abs(causal.dw - predicted) < 0.01 * predicted, "dw \(causal.dw) vs \(predicted)")
    let anti = try Self.pairing(post: -10, delay: 500, pulse: 0.5)
    #expect(anti.tag < 0)
    #expect(anti.dw < 0)
    // A₋/A₊ = 1.5: the depression is 1.5× the potentiation of the mirrored pairing, times
    // e^(9/1000) because the anti-causal tag is 9 steps younger when the reward comes (the
    // reward counts from the later spike); ±0.5 % for the discretisation.
    let ratio = 1.5 * Math.exp(9.0 / 1000)
    #expect(
      abs(Double(-anti.dw / causal.dw) - ratio) < 0.005 * ratio, "ratio \(-anti.dw / causal.dw)")
  }

  /// Izhikevich's experiment at reduced size (50 inputs, 600 s): the rewarded synapse ends at
  /// w_max, the others low. Measured over seeds 1–3: rewarded 0.993–1.000 of w_max, others'
  /// mean 0.21–0.25; the bounds X ≥ 0.8 and Y ≤ X/3 are the claim of the experiment.
  @Test func distalRewardSinglesOutTheRewardedSynapse() throws {
    var c = DistalReward.Configuration()
    c.inputs = 50
    c.initialWeight = 0.2
    c.seconds = 600
    c.seed = 1
    let r = try DistalReward.run(c, reportEvery: 60)
    #expect(r.rewardedWeight >= 0.8, "rewarded \(r.rewardedWeight)")
    #expect(r.otherWeight <= r.rewardedWeight / 3, "others \(r.otherWeight)")
    #expect(r.rewards > 100)
  }

  /// The non-contingent control: dopamine at the contingent run's reward rate but at random
  /// times. Then input 0 is one synapse among many and stays low (seed 1 at the reduced size:
  /// well under half of w_max; over 10 seeds of the full-size CLI run it ends above half in
  /// 1 of 10 runs against 10 of 10 with contingent reward), so the contingency selects it.
  @Test func rewardsUnrelatedToThePairingsDoNotSingleOutInputZero() throws {
    var c = DistalReward.Configuration()
    c.inputs = 50
    c.initialWeight = 0.2
    c.seconds = 600
    c.seed = 1
    let contingent = try DistalReward.run(c, reportEvery: 60)
    c.randomRewardRate = Double(contingent.rewards) / c.seconds
    let random = try DistalReward.run(c, reportEvery: 60)
    #expect(abs(Double(random.rewards - contingent.rewards)) < 0.2 * Double(contingent.rewards))
    #expect(random.rewardedWeight < 0.5, "input 0 without contingency \(random.rewardedWeight)")
    #expect(contingent.rewardedWeight > random.rewardedWeight + 0.3)
    c.randomRewardRate = -1
    #expect(throws: HebbianError.self) { try DistalReward.run(c) }
  }

  @Test func rejectsBadParameters() {
    var p = RewardModulatedSTDP.Parameters()
    p.eligibilityTimeConstant = 0
    #expect(throws: HebbianError.self) {
      try RewardModulatedSTDP(post: 1, pre: 1, parameters: p, dt: 1, initialWeight: 0)
    }
    #expect(throws: HebbianError.self) {
      try RewardModulatedSTDP(post: 1, pre: 1, dt: 0, initialWeight: 0)
    }
  }
}

/// Homeostatic synaptic scaling: multiplicative, towards a target rate.
@Suite struct SynapticScalingTests {
  /// 200 Poisson inputs, target 5 Hz; the input rate doubles at 60 s. The output rate jumps
  /// (measured ≈ 50 Hz in the first 2 s after) and scaling brings it back: the last 20 s
  /// average within ±20 % of the target (measured 4.6–5.3 Hz; 100 spikes per 20 s give a
  /// counting s.d. of 10 %).
  @Test func rateReturnsToTargetAfterAnInputChange() throws {
    var c = HomeostaticScaling.Configuration()
    c.seconds = 120
    c.initialWeight = 0.03
    let r = try HomeostaticScaling.run(c)
    #expect(r.rate(from: 40, to: 60) > 0.8 * c.targetRate)
    #expect(r.rate(from: 40, to: 60) < 1.2 * c.targetRate)
    let jump = r.rate(from: 60, to: 62)
    #expect(jump > 3 * c.targetRate, "rate after the change \(jump)")
    let settled = r.rate(from: 100, to: 120)
    #expect(abs(settled - c.targetRate) < 0.2 * c.targetRate, "settled \(settled)")
  }

  /// Multiplicative: one neuron's weights all move by the same factor, so their ratios stay.
  @Test func scalingKeepsRelativeWeights() throws {
    var s = try SynapticScaling(neurons: 1, targetRate: 5, rate: 0.1, dt: 1)
    var w: [Float] = [0.1, 0.2, 0.4]
    // A silent neuron (rate estimate decaying below target) scales its weights up.
    for _ in 0..<100 {
      try s.observe(spikes: [Float(0)].span)
      var ws = w.mutableSpan
      try s.scale(weights: &ws, columns: 3)
    }
    #expect(w[0] > 0.1)
    #expect(abs(w[1] / w[0] - 2) < 1e-5 && abs(w[2] / w[0] - 4) < 1e-5)
  }
}
