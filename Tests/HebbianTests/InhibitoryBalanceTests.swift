import Hebbian
@testable import HebbianExperiments
import Testing

/// Vogels et al. (2011) inhibitory STDP on one LIF neuron: 8 input groups × (100 E + 25 I)
/// Poisson inputs at 10 Hz sharing one OU rate signal per group (s.d. 50 % of the mean),
/// Gaussian-tuned fixed excitation, plastic inhibition with η = 0.001, ρ₀ = 5 Hz, τ = 20 ms,
/// dt = 0.5 ms, 200 s simulated per run (the defaults of `hebbian stdp balance`).
@Suite struct InhibitoryBalanceTests {
  static func run(initialInhibition: Float) -> Swift.Result<InhibitoryBalance.Result, HebbianError>
  {
    var c = InhibitoryBalance.Configuration()
    c.initialInhibitoryWeight = initialInhibition
    c.seconds = 200
    c.seed = 1
    return Swift.Result { () throws(HebbianError) in try InhibitoryBalance.run(c) }
  }

  /// The run from no inhibition at all serves both tests; it is simulated once.
  static let fromAbove = run(initialInhibition: 0)

  /// Rate over [30, 200] s: ≈ 800 output spikes, so counting noise is ≈ 3.5 %. The rule's
  /// fixed point is ρ₀ only for uncorrelated pre/post trains; the shared group signals
  /// correlate inhibitory inputs with the output, which adds potentiation and settles the rate
  /// a little below ρ₀ (seeds 1–2: 4.5–4.7 Hz over the last 50 s). ±15 % holds that bias and
  /// the counting noise.
  @Test func iSTDPBringsTheRateToTheTargetFromAboveAndBelow() throws {
    let target = 5.0
    // Weak initial inhibition: the neuron starts far above ρ₀ (> 15 Hz in the first second).
    let above = try Self.fromAbove.get()
    #expect(above.samples[0].rate > 3 * target, "initial rate \(above.samples[0].rate)")
    let settledAbove = above.average(from: 30).rate
    #expect(abs(settledAbove - target) < 0.15 * target, "from above: \(settledAbove) Hz")
    // Strong initial inhibition: the neuron starts silent (< 1 Hz over the first 5 s).
    let below = try Self.run(initialInhibition: 0.05).get()
    #expect(
      below.average(from: 0, to: 5).rate < 1, "initial rate \(below.average(from: 0, to: 5).rate)")
    let settledBelow = below.average(from: 30).rate
    #expect(abs(settledBelow - target) < 0.15 * target, "from below: \(settledBelow) Hz")
  }

  /// Detailed balance: inhibition learns the excitatory tuning. The inhibitory weights start
  /// at 0; afterwards their group means correlate with the excitatory tuning curve (0.98–0.99
  /// across seeds: 0.9 leaves room for the per-synapse jitter of η-sized steps), and the
  /// inhibitory current tracks the excitatory one in time: the E/I current correlation
  /// (currents low-pass filtered with τ = 50 ms) is ≈ 0.8 once learned (seeds 1–2: 0.80, 0.80)
  /// against −0.06…0.46 in the first second, while inhibition is still growing from 0.
  @Test func iSTDPCoTunesInhibitionWithExcitation() throws {
    let r = try Self.fromAbove.get()
    #expect(r.tuningCorrelation > 0.9, "tuning correlation \(r.tuningCorrelation)")
    // The preferred (middle) groups end with the strongest inhibition, the flanks the weakest.
    let mid = (r.inhibitoryTuning[3] + r.inhibitoryTuning[4]) / 2
    let flank = (r.inhibitoryTuning[0] + r.inhibitoryTuning[7]) / 2
    #expect(mid > 3 * flank, "inhibition preferred \(mid) vs flank \(flank)")
    let first = r.samples[0].currentCorrelation
    let settled = r.average(from: 30).correlation
    #expect(settled >= 0.5, "settled E/I current correlation \(settled)")
    #expect(settled > first + 0.2, "E/I current correlation \(first) → \(settled)")
  }

  /// The control that tells learned co-tuning from the shared group signals: with the weights
  /// frozen on fresh inputs, uniform inhibition at the learned mean already gives correlated
  /// currents (≈ 0.6 at seed 1: every group's signal drives both currents), so the learned
  /// weights must beat uniform inhibition rescaled to the same output rate (0.77 against 0.61
  /// at seed 1, 50 s), and group-shuffled learned weights, which keep every weight value but
  /// move the tuning peak, must fall below both (0.26).
  @Test func learnedInhibitionBeatsUniformAndShuffledAtTheSameRate() throws {
    var c = InhibitoryBalance.Configuration()
    c.seed = 1
    let r = try Self.fromAbove.get()
    let learned = try InhibitoryBalance.test(c, weights: r.inhibitoryWeights, seconds: 50)
    var mean: Float = 0
    for v in r.inhibitoryWeights { mean += v }
    mean /= Float(r.inhibitoryWeights.count)
    #expect(abs(learned.meanWeight - mean) < 1e-6)
    let uniform = [Float](repeating: mean, count: r.inhibitoryWeights.count)
    let u = try InhibitoryBalance.matchRate(c, weights: uniform, rate: learned.rate, seconds: 50)
    #expect(abs(u.test.rate - learned.rate) < 0.1 * learned.rate, "\(u.test.rate) vs \(learned.rate)")
    #expect(learned.correlation > u.test.correlation + 0.08, "\(learned) vs \(u.test)")
    let shuffledWeights = InhibitoryBalance.groupShuffled(c, r.inhibitoryWeights)
    #expect(shuffledWeights.sorted() == r.inhibitoryWeights.sorted())
    #expect(InhibitoryBalance.tuningCorrelation(c, shuffledWeights) < 0)
    let s = try InhibitoryBalance.matchRate(
      c, weights: shuffledWeights, rate: learned.rate, seconds: 50)
    #expect(s.test.correlation < u.test.correlation, "\(s.test) vs \(u.test)")
  }
}
