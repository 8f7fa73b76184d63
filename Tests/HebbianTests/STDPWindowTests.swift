import Hebbian
import Testing

@Suite struct STDPWindowTests {
  /// The measured window against A± e^(−|Δt|/τ±). Error sources: the trace is multiplied by
  /// a rounded decay factor once per 0.1 ms step (≤ 1000 roundings of 6e-8 relative) and the
  /// change is read as a difference of weights near 0.5 (6e-8 absolute): 2e-3 relative plus
  /// 2e-7 absolute covers both by a wide margin, while a wrong τ or amplitude misses by ≥ 1 %.
  @Test(arguments: [
    (Float(0.005), Float(0.00525), 20.0, 20.0),  // Song et al. 2000
    (Float(0.0096), Float(0.0053), 16.8, 33.7),  // Bi & Poo 1998 fit (Froemke & Dan 2002)
  ])
  func windowHasTheSignAndExponentialShapeOfTheRule(
    aPlus: Float, aMinus: Float, tauPlus: Double, tauMinus: Double
  ) throws {
    let rule = STDPRule.classic(aPlus: aPlus, aMinus: aMinus, tauPlus: tauPlus, tauMinus: tauMinus)
    for dt in [1.0, 5, 10, 20, 40, 80] {
      let ltp = try STDPWindow.pairing(rule: rule, deltaT: dt)
      let ltd = try STDPWindow.pairing(rule: rule, deltaT: -dt)
      let expectedLTP = aPlus * Float(Math.exp(-dt / tauPlus))
      let expectedLTD = -aMinus * Float(Math.exp(-dt / tauMinus))
      #expect(ltp > 0 && ltd < 0)
      #expect(abs(ltp - expectedLTP) <= 2e-3 * expectedLTP + 2e-7, "LTP at \(dt) ms: \(ltp)")
      #expect(abs(ltd - expectedLTD) <= 2e-3 * -expectedLTD + 2e-7, "LTD at -\(dt) ms: \(ltd)")
    }
    // Equal times: neither trace has seen the other spike yet.
    #expect(try STDPWindow.pairing(rule: rule, deltaT: 0) == 0)
    // The curve printed by `hebbian stdp window` is the same measurement.
    let curve = try STDPWindow.curve(rule: rule, range: 40, spacing: 10)
    #expect(curve.map(\.dt) == [-40, -30, -20, -10, 10, 20, 30, 40])
    #expect(curve[4].dw == (try STDPWindow.pairing(rule: rule, deltaT: 10)))
  }

  @Test func allToAllSumsEveryPairAndNearestKeepsOnlyTheClosest() throws {
    let a: Float = 0.005, tau = 20.0
    let all = STDPRule.classic(aPlus: a, aMinus: a, pairing: .allToAll)
    let nearest = STDPRule.classic(aPlus: a, aMinus: a, pairing: .nearest)
    // Two pre spikes (0, 10 ms) then one post spike at 20 ms: LTP only.
    let dwAll = try STDPWindow.pairing(rule: all, preTimes: [0, 10], postTimes: [20])
    let dwNearest = try STDPWindow.pairing(rule: nearest, preTimes: [0, 10], postTimes: [20])
    let e10 = a * Float(Math.exp(-10 / tau)), e20 = a * Float(Math.exp(-20 / tau))
    // Tolerance as in the window test: 2e-3 relative + 2e-7 absolute.
    #expect(abs(dwAll - (e10 + e20)) <= 2e-3 * (e10 + e20) + 2e-7)
    #expect(abs(dwNearest - e10) <= 2e-3 * e10 + 2e-7)
  }

  @Test func softBoundsScalePotentiationByTheDistanceToTheBound() throws {
    let hard = STDPRule.classic(aPlus: 0.1, aMinus: 0.1, wMin: 0, wMax: 1)
    let soft = STDPRule.classic(aPlus: 0.1, aMinus: 0.1, wMin: 0, wMax: 1, bounds: .soft)
    // Starting at w = 0.5, soft bounds halve both sides of the window.
    let h = try STDPWindow.pairing(rule: hard, deltaT: 10)
    let s = try STDPWindow.pairing(rule: soft, deltaT: 10)
    #expect(abs(s - h / 2) < 1e-6)
    // Pairs every 50 ms with post 5 ms after pre: per period LTP a = A e^(−5/20) and LTD
    // b = A e^(−45/20) (the next pre spike sees the post trace). Hard bounds: a > b, so w
    // clips at wMax. Soft bounds: a (1 − w) = b w has the stable interior fixed point
    // w* = a / (a + b) ≈ 0.881.
    var hs = try STDPSynapses(post: 1, pre: 1, rule: hard, dt: 1, initialWeight: 0.5)
    var ss = try STDPSynapses(post: 1, pre: 1, rule: soft, dt: 1, initialWeight: 0.5)
    var pre: [Float] = [0], post: [Float] = [0]
    for n in 0..<2000 {
      pre[0] = n % 50 == 0 ? 1 : 0
      post[0] = n % 50 == 5 ? 1 : 0
      try hs.step(preSpikes: pre.span, postSpikes: post.span)
      try ss.step(preSpikes: pre.span, postSpikes: post.span)
    }
    #expect(hs.weight(post: 0, pre: 0) == 1)
    let a = 0.1 * Math.exp(-5.0 / 20), b = 0.1 * Math.exp(-45.0 / 20)
    let wStar = Float(a / (a + b))
    // Read right after an LTP step (the last post spike was at n = 1955), the discrete map
    // sits at a / (a + b − ab) ≈ 0.888: 0.007 above w*, inside the 0.012 allowed.
    let w = ss.weight(post: 0, pre: 0)
    #expect(abs(w - wStar) < 0.012, "soft-bounded weight \(w) vs \(wStar)")
  }

  @Test func lifNeuronFiresAtTheAnalyticRateOfConstantDrive() throws {
    // A constant conductance g (held by re-adding what decays) gives V∞ = (E_L + g E_E)/(1+g);
    // from reset the time to threshold is τ/(1+g) · ln((V∞ − V_reset)/(V∞ − V_th)).
    var lif = try LIFPopulation(count: 1, parameters: .vogels2011, dt: 0.05)
    let g = 0.5
    let p = LIFParameters.vogels2011
    let vInf = (p.restPotential + g * p.excitatoryReversal) / (1 + g)
    let isi =
      p.membraneTimeConstant / (1 + g)
      * Math.log((vInf - p.resetPotential) / (vInf - p.threshold)) + p.refractoryPeriod
    for _ in 0..<20000 {  // 1 s
      // Hold ḡ at g: the step uses the mean over the step, g τ (1 − e^(−dt/τ))/dt.
      let decay = Math.exp(-0.05 / p.excitatoryTimeConstant)
      let mean = p.excitatoryTimeConstant * (1 - decay) / 0.05
      let target = g / mean
      lif.addExcitatory(Float(target - lif.conductanceE(0)), to: 0)
      lif.step()
    }
    let rate = Double(lif.spikeCount(0))
    // Spike times land on the 0.05 ms grid: each interval is late by < dt, so the count is
    // within 1 % of 1000/isi (isi ≈ 11 ms), plus one for the partial last interval.
    #expect(abs(rate - 1000 / isi) <= 0.01 * 1000 / isi + 1, "rate \(rate) vs \(1000 / isi)")
  }

  @Test func poissonInputFiresAtTheRequestedRate() throws {
    var input = try PoissonInput(count: 100, dt: 0.5, seed: 9)
    var total = 0
    for _ in 0..<20000 {  // 10 s
      input.step(rate: 20)
      total += input.fired
    }
    // 100 inputs × 20 Hz × 10 s = 20000 expected spikes, Poisson sd 141 (0.7 %); merging of
    // two spikes in one 0.5 ms bin removes r dt / 2 = 0.5 %. 3 % is > 4 sd from both.
    #expect(abs(Double(total) - 20000) < 600, "total spikes \(total)")
  }

  /// Every model that steps in time refuses a step that is not a finite positive number of ms,
  /// with the same words.
  @Test(arguments: [0, -1, Double.infinity, Double.nan])
  func spikingModelsRefuseABadTimeStep(dt: Double) {
    let refusal = HebbianError.invalidParameter("dt must be finite and > 0 ms")
    let rule = STDPRule.classic()
    #expect(throws: refusal) { _ = try LIFPopulation(count: 1, dt: dt) }
    #expect(throws: refusal) { _ = try PoissonInput(count: 1, dt: dt, seed: 1) }
    #expect(throws: refusal) {
      _ = try STDPSynapses(post: 1, pre: 1, rule: rule, dt: dt, initialWeight: 0)
    }
    #expect(throws: refusal) {
      _ = try RewardModulatedSTDP(post: 1, pre: 1, dt: dt, initialWeight: 0)
    }
  }
}
