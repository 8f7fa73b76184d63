import Hebbian

/// Izhikevich (2007)'s distal-reward experiment on one neuron: a LIF neuron receives `inputs`
/// Poisson inputs through ``RewardModulatedSTDP`` synapses (plus a fixed background drive).
/// Every time the rewarded input (index 0) fires and the neuron fires within `pairingWindow`
/// ms after it, a dopamine pulse is scheduled `delay` later, the delay drawn uniformly from
/// [`minDelay`, `maxDelay`] (up to a second, while the tags of a pairing fade with τ_c = 1 s
/// and a pairing happens about every second). In between, all synapses keep pairing at random.
/// Only the rewarded synapse's tag is reliably positive when dopamine arrives, so it grows to
/// w_max while the others, tagged with the depression-dominated window (A₋ > A₊), stay low.
public enum DistalReward {
  public struct Configuration: Sendable {
    public var inputs = 100
    /// Rate of every plastic input (Hz).
    public var rate = 5.0
    /// Upper bound of the plastic weights (× g_L); weights are reported as fractions of it.
    public var gMax: Float = 0.5
    /// Initial plastic weight, as a fraction of g_max.
    public var initialWeight: Float = 0.1
    /// Fixed excitatory background: count, rate (Hz), weight (× g_L).
    public var backgroundInputs = 200
    public var backgroundRate = 5.0
    public var backgroundWeight: Float = 0.015
    /// Pre→post delay (ms) within which a spike of the rewarded input earns a reward.
    public var pairingWindow = 10.0
    /// Reward delay range (ms).
    public var minDelay = 100.0
    public var maxDelay = 1000.0
    /// Dopamine pulse per reward.
    public var pulse: Float = 0.5
    /// The non-contingent control: when > 0, rewards (Hz) come as a Poisson process that
    /// ignores the pairings, each after the same random delay, so the rewarded input gets
    /// dopamine at the same rate but unrelated to its pairings. 0: rewards follow pairings.
    public var randomRewardRate = 0.0
    public var rule = RewardModulatedSTDP.Parameters.izhikevich2007
    public var seconds = 1200.0
    public var dt = 1.0
    public var seed: UInt64 = 1
    public var neuron = LIFParameters.song2000
    public init() {
      // Izhikevich's synapses reach w_max in about an hour of simulated time; a faster η keeps
      // the demonstration to minutes while the tags still average over hundreds of rewards.
      rule.learningRate = 0.1
    }
  }

  public struct Sample: Sendable {
    public var time: Double
    /// Rewarded weight and mean of the others, as fractions of g_max.
    public var rewardedWeight: Float
    public var otherWeight: Float
    /// Output rate (Hz) and rewards in the report interval.
    public var rate: Double
    public var rewards: Int
  }

  public struct Result: Sendable {
    public var samples: [Sample]
    /// Final weights as fractions of g_max; index 0 is the rewarded synapse.
    public var weights: [Float]
    public var rewards: Int
    public var rewardedWeight: Float { weights[0] }
    /// Mean of the other weights.
    public var otherWeight: Float {
      var s: Float = 0
      for w in weights.dropFirst() { s += w }
      return s / Float(Swift.max(weights.count - 1, 1))
    }
    /// Fraction of the other weights above the rewarded one's half.
    public var othersAboveHalf: Double {
      let half = weights[0] / 2
      var n = 0
      for w in weights.dropFirst() where w > half { n += 1 }
      return Double(n) / Double(Swift.max(weights.count - 1, 1))
    }
  }

  public static func run(
    _ c: Configuration, reportEvery: Double = 10, progress: ((Sample) -> Void)? = nil
  ) throws(HebbianError) -> Result {
    if c.inputs < 2 || c.backgroundInputs < 0 {
      throw .invalidParameter("distal reward: need >= 2 plastic inputs and >= 0 background inputs")
    }
    if !(c.gMax > 0 && c.rate > 0 && c.seconds > 0 && c.pairingWindow > 0) {
      throw .invalidParameter("distal reward: gMax, rate, seconds and pairing window must be > 0")
    }
    if !(c.randomRewardRate >= 0 && c.randomRewardRate.isFinite) {
      throw .invalidParameter("distal reward: the random reward rate must be >= 0")
    }
    if !(c.minDelay >= 0 && c.maxDelay >= c.minDelay && reportEvery > 0) {
      throw .invalidParameter("distal reward: need 0 <= minDelay <= maxDelay")
    }
    var rule = c.rule
    rule.wMin = 0
    rule.wMax = 1
    var synapses = try RewardModulatedSTDP(
      post: 1, pre: c.inputs, parameters: rule, dt: c.dt, initialWeight: c.initialWeight)
    var plastic = try PoissonInput(count: c.inputs, dt: c.dt, seed: c.seed &+ 21)
    var background = try PoissonInput(
      count: Swift.max(c.backgroundInputs, 1), dt: c.dt, seed: c.seed &+ 22)
    var neuron = try LIFPopulation(count: 1, parameters: c.neuron, dt: c.dt)
    var rng = SeededGenerator(seed: c.seed &+ 23)
    // Pending reward times (ms), kept sorted: delays are drawn independently.
    var pending: [Double] = []
    pending.reserveCapacity(64)
    var lastRewardedSpike = -Double.infinity
    let steps = try StepCount.of(c.seconds * 1000 / c.dt, "reward STDP: time steps")
    let reportSteps = Swift.max(
      1, try StepCount.of(reportEvery * 1000 / c.dt, "reward STDP: steps per report"))
    var samples: [Sample] = []
    var rewards = 0, windowRewards = 0
    for n in 0..<steps {
      let t = Double(n) * c.dt
      plastic.step(rate: c.rate)
      if plastic.spiked(0) { lastRewardedSpike = t }
      // Conductances in units of g_L: the plastic weights are fractions of g_max.
      for s in 0..<plastic.fired {
        neuron.addExcitatory(synapses.weight(post: 0, pre: plastic.spikeIndex(s)) * c.gMax, to: 0)
      }
      if c.backgroundInputs > 0 {
        background.step(rate: c.backgroundRate)
        neuron.addExcitatory(Float(background.fired) * c.backgroundWeight, to: 0)
      }
      neuron.step()
      let earned: Bool
      if c.randomRewardRate > 0 {
        earned = rng.uniform() < c.randomRewardRate * c.dt / 1000
      } else {
        earned = neuron.spiked(0) && t - lastRewardedSpike <= c.pairingWindow
          && t > lastRewardedSpike
      }
      if earned {
        let delay = c.minDelay + (c.maxDelay - c.minDelay) * rng.uniform()
        var i = pending.count
        pending.append(t + delay)
        while i > 0 && pending[i - 1] > pending[i] {
          pending.swapAt(i - 1, i)
          i -= 1
        }
        // One reward per pairing spike of the rewarded input.
        lastRewardedSpike = -Double.infinity
      }
      while let first = pending.first, first <= t {
        pending.removeFirst()
        synapses.reward(c.pulse)
        rewards += 1
        windowRewards += 1
      }
      synapses.step(pre: plastic, post: neuron)
      if (n + 1) % reportSteps == 0 {
        let row = synapses.row(0)
        var others: Float = 0
        for w in row.dropFirst() { others += w }
        let sample = Sample(
          time: Double(n + 1) * c.dt / 1000, rewardedWeight: row[0],
          otherWeight: others / Float(row.count - 1),
          rate: Double(neuron.spikeCount(0)) / reportEvery, rewards: windowRewards)
        neuron.resetSpikeCounts()
        windowRewards = 0
        samples.append(sample)
        progress?(sample)
      }
    }
    return Result(samples: samples, weights: synapses.row(0), rewards: rewards)
  }
}
