import Hebbian

/// Vogels, Sprekeler, Zenke, Clopath & Gerstner (2011), single cell: a conductance-based LIF
/// neuron receives 8 groups of excitatory and inhibitory Poisson inputs; all inputs of a group
/// share one time-varying rate (an Ornstein–Uhlenbeck signal, τ = 50 ms, rectified). The
/// excitatory weights are fixed and tuned to a preferred group; the inhibitory weights follow
/// the symmetric iSTDP rule of ``STDPRule/vogels(eta:targetRate:tau:wMax:)``:
///
///   pre spike:  Δw = η (y_post − α),   post spike:  Δw = η x_pre,   α = 2 ρ₀ τ.
///
/// For uncorrelated trains the expected drift per unit time is η ρ_pre (2 ρ_post τ − α), which
/// vanishes at ρ_post = ρ₀: inhibition grows while the neuron fires faster than ρ₀ and decays
/// while it fires slower. Inhibitory synapses whose group drives the cell hardest gain most, so
/// inhibition becomes co-tuned with excitation (detailed balance) and the inhibitory current
/// tracks the excitatory one in time.
///
/// Simplifications against the paper: one step size dt for everything, weights in units of
/// the leak conductance, and no upper bound that matters (wMax = 1 g_L).
public enum InhibitoryBalance {
  public struct Configuration: Sendable {
    public var groups = 8
    public var excitatoryPerGroup = 100
    public var inhibitoryPerGroup = 25
    /// Mean input rate (Hz) of every input before rectification of the signal.
    public var inputRate = 10.0
    public var signalTimeConstant = 50.0
    /// Standard deviation of the group signal relative to the mean rate. At 1 the rates would be
    /// strongly modulated and rectified (silent about a sixth of the time), like the
    /// rectified filtered-noise signals of Vogels et al.
    public var signalAmplitude = 0.5
    /// Excitatory weight (× g_L) of the preferred group; the others fall off as a Gaussian
    /// (width `tuningWidth` groups) down to `tuningFloor` of it.
    public var excitatoryWeight: Float = 0.02
    public var tuningWidth = 1.0
    public var tuningFloor = 0.1
    /// Inhibitory weight at the start (× g_L): 0, a start without inhibition.
    public var initialInhibitoryWeight: Float = 0
    /// ρ₀ (Hz).
    public var targetRate = 5.0
    public var eta: Float = 0.001
    public var tau = 20.0
    public var seconds = 200.0
    public var dt = 0.5
    /// Report interval (s).
    public var window = 1.0
    /// Time constant (ms) of the first-order low-pass filter the currents pass through before
    /// they are correlated, so the correlation measures the shared slow signals rather than
    /// single-spike shot noise (Vogels et al. filter at the 50 ms of the input signals).
    public var currentFilter = 50.0
    public var seed: UInt64 = 1
    public var neuron = LIFParameters.vogels2011
    public init() {}
  }

  public struct Sample: Sendable {
    /// End of the window (s).
    public var time: Double
    /// Output rate over the window (Hz).
    public var rate: Double
    public var meanInhibitoryWeight: Float
    /// Pearson correlation of the excitatory and inhibitory synaptic currents over the window
    /// (low-pass filtered with ``Configuration/currentFilter``).
    public var currentCorrelation: Double
  }

  public struct Result: Sendable {
    public var samples: [Sample]
    /// Excitatory weight of each group and final mean inhibitory weight of each group.
    public var excitatoryTuning: [Float]
    public var inhibitoryTuning: [Float]
    /// Every learned inhibitory weight, input by input (group-major).
    public var inhibitoryWeights: [Float]
    /// Correlation of the two tuning curves across groups (1 = inhibition mirrors excitation).
    public var tuningCorrelation: Double

    /// Mean output rate (Hz) and current correlation over the samples in [from, to) seconds.
    public func average(from: Double, to: Double = .infinity) -> (rate: Double, correlation: Double)
    {
      var r = 0.0, c = 0.0, n = 0.0
      for s in samples where s.time > from && s.time <= to {
        r += s.rate
        c += s.currentCorrelation
        n += 1
      }
      return n > 0 ? (r / n, c / n) : (0, 0)
    }
  }

  static func pearson(
    _ sx: Double, _ sy: Double, _ sxx: Double, _ syy: Double, _ sxy: Double, _ n: Double
  )
    -> Double
  {
    let cov = sxy / n - (sx / n) * (sy / n)
    let vx = sxx / n - (sx / n) * (sx / n), vy = syy / n - (sy / n) * (sy / n)
    return vx > 0 && vy > 0 ? cov / (vx * vy).squareRoot() : 0
  }

  public static func run(_ c: Configuration, progress: ((Sample) -> Void)? = nil)
    throws(HebbianError) -> Result
  {
    if c.groups < 1 || c.excitatoryPerGroup < 1 || c.inhibitoryPerGroup < 1 {
      throw .invalidParameter("groups and inputs per group must be >= 1")
    }
    if !(c.targetRate > 0 && c.eta > 0 && c.seconds > 0 && c.window > 0 && c.inputRate > 0) {
      throw .invalidParameter("target rate, eta, input rate, seconds and window must be > 0")
    }
    let nI = c.groups * c.inhibitoryPerGroup
    let rule = STDPRule.vogels(eta: c.eta, targetRate: c.targetRate, tau: c.tau, wMax: 1)
    var inhibition = try STDPSynapses(
      post: 1, pre: nI, rule: rule, dt: c.dt, initialWeight: c.initialInhibitoryWeight)
    var drive = try Drive(c, seed: c.seed &+ 10)
    var neuron = try LIFPopulation(count: 1, parameters: c.neuron, dt: c.dt)

    let (stepsPerWindow, windows) = try schedule(c, seconds: c.seconds, "inhibitory STDP")
    var currents = Currents(c)
    var samples: [Sample] = []
    samples.reserveCapacity(windows)
    for w in 0..<windows {
      neuron.resetSpikeCounts()
      currents.startWindow()
      for _ in 0..<stepsPerWindow {
        drive.step(&neuron)
        inhibition.deliver(drive.inhibitory, to: &neuron, inhibitory: true)
        neuron.step()
        inhibition.step(pre: drive.inhibitory, post: neuron)
        currents.add(neuron)
      }
      let sample = Sample(
        time: Double(w + 1) * c.window,
        rate: Double(neuron.spikeCount(0)) / c.window,
        meanInhibitoryWeight: inhibition.meanWeight,
        currentCorrelation: currents.correlation)
      samples.append(sample)
      progress?(sample)
    }

    let tuning = drive.tuning
    var inhibitoryTuning = [Float](repeating: 0, count: c.groups)
    for j in 0..<nI {
      inhibitoryTuning[j / c.inhibitoryPerGroup] += inhibition.weight(post: 0, pre: j)
    }
    for g in 0..<c.groups { inhibitoryTuning[g] /= Float(c.inhibitoryPerGroup) }
    var sx = 0.0, sy = 0.0, sxx = 0.0, syy = 0.0, sxy = 0.0
    for g in 0..<c.groups {
      let x = Double(tuning[g]), y = Double(inhibitoryTuning[g])
      sx += x
      sy += y
      sxx += x * x
      syy += y * y
      sxy += x * y
    }
    var learned = [Float](repeating: 0, count: nI)
    for j in 0..<nI { learned[j] = inhibition.weight(post: 0, pre: j) }
    return Result(
      samples: samples, excitatoryTuning: tuning, inhibitoryTuning: inhibitoryTuning,
      inhibitoryWeights: learned,
      tuningCorrelation: pearson(sx, sy, sxx, syy, sxy, Double(c.groups)))
  }

  /// `seconds` cut into the configuration's report windows: the steps of one window and the
  /// windows, each at least 1, with the run's total of steps checked too; `what` names the run
  /// in the errors.
  static func schedule(_ c: Configuration, seconds: Double, _ what: String)
    throws(HebbianError) -> (stepsPerWindow: Int, windows: Int)
  {
    let stepsPerWindow = max(
      1, try StepCount.of(c.window * 1000 / c.dt, "\(what): steps per window"))
    let windows = max(1, try StepCount.of(seconds / c.window, "\(what): windows"))
    _ = try StepCount.product([stepsPerWindow, windows], "\(what): time steps")
    return (stepsPerWindow, windows)
  }

  /// The excitatory weight of each group: a Gaussian around the middle group down to
  /// `tuningFloor` of the peak.
  static func excitatoryTuning(_ c: Configuration) -> [Float] {
    var tuning = [Float](repeating: 0, count: c.groups)
    let preferred = Double(c.groups - 1) / 2
    for g in 0..<c.groups {
      let z = (Double(g) - preferred) / c.tuningWidth
      tuning[g] =
        c.excitatoryWeight * Float(c.tuningFloor + (1 - c.tuningFloor) * Math.exp(-z * z / 2))
    }
    return tuning
  }

  /// The cell's input: every group's rate follows its own OU signal, and each step the
  /// excitatory and inhibitory Poisson inputs of a group fire at that rate; the excitatory
  /// spikes reach the cell through the fixed tuned weights. The inhibitory spikes are left to
  /// the caller, whose inhibition is what is being studied. Seeds seed+1…seed+3.
  struct Drive: ~Copyable {
    let c: Configuration
    let tuning: [Float]
    var excitatory: PoissonInput
    var inhibitory: PoissonInput
    var noise: SeededGenerator
    var signal: [Double]
    var rates: [Double]
    /// Exact OU update over dt: s ← s e^(−dt/τ) + √(1 − e^(−2dt/τ)) ξ keeps Var s = 1.
    let keep: Double, kick: Double

    init(_ c: Configuration, seed: UInt64) throws(HebbianError) {
      // Both inputs made before any field is set: a throw leaves nothing half-built.
      let e = try PoissonInput(count: c.groups * c.excitatoryPerGroup, dt: c.dt, seed: seed &+ 1)
      let i = try PoissonInput(count: c.groups * c.inhibitoryPerGroup, dt: c.dt, seed: seed &+ 2)
      self.c = c
      tuning = excitatoryTuning(c)
      excitatory = e
      inhibitory = i
      noise = SeededGenerator(seed: seed &+ 3)
      signal = [Double](repeating: 0, count: c.groups)
      rates = [Double](repeating: 0, count: c.groups)
      for g in 0..<c.groups { signal[g] = noise.gaussian() }
      keep = Math.exp(-c.dt / c.signalTimeConstant)
      kick = (1 - keep * keep).squareRoot()
    }

    /// One time step of the inputs; the excitatory spikes added to the cell.
    mutating func step(_ neuron: inout LIFPopulation) {
      for g in 0..<c.groups {
        signal[g] = signal[g] * keep + kick * noise.gaussian()
        rates[g] = c.inputRate * max(0, 1 + c.signalAmplitude * signal[g])
      }
      excitatory.beginStep()
      inhibitory.beginStep()
      for g in 0..<c.groups {
        excitatory.fire(g * c.excitatoryPerGroup..<(g + 1) * c.excitatoryPerGroup, rate: rates[g])
        inhibitory.fire(g * c.inhibitoryPerGroup..<(g + 1) * c.inhibitoryPerGroup, rate: rates[g])
      }
      for s in 0..<excitatory.fired {
        neuron.addExcitatory(tuning[excitatory.spikeIndex(s) / c.excitatoryPerGroup], to: 0)
      }
    }
  }

  /// The low-pass filtered E and I currents and their correlation over a window.
  struct Currents {
    let filter: Double
    var e = 0.0, i = 0.0
    var sE = 0.0, sI = 0.0, sEE = 0.0, sII = 0.0, sEI = 0.0, n = 0.0

    init(_ c: Configuration) { filter = 1 - Math.exp(-c.dt / c.currentFilter) }

    mutating func startWindow() {
      (sE, sI, sEE, sII, sEI, n) = (0, 0, 0, 0, 0, 0)
    }

    mutating func add(_ neuron: borrowing LIFPopulation) {
      e += filter * (neuron.excitatoryCurrent(0) - e)
      i += filter * (neuron.inhibitoryCurrent(0) - i)
      sE += e
      sI += i
      sEE += e * e
      sII += i * i
      sEI += e * i
      n += 1
    }

    var correlation: Double { pearson(sE, sI, sEE, sII, sEI, n) }
  }

  /// What a frozen inhibitory weight vector does: output rate and mean per-window E/I current
  /// correlation (same filter and windows as ``run(_:progress:)``).
  public struct Test: Sendable {
    public var rate: Double
    public var correlation: Double
    public var meanWeight: Float
  }

  /// Runs the cell for `seconds` with the inhibitory weights fixed at `weights` (one per
  /// inhibitory input, group-major) and no plasticity. The inputs depend only on `c.seed`, so
  /// every weight vector tested with one configuration sees the same spike trains: the
  /// comparison between weight vectors is not blurred by input noise.
  public static func test(_ c: Configuration, weights: [Float], seconds: Double)
    throws(HebbianError) -> Test
  {
    let nI = c.groups * c.inhibitoryPerGroup
    if weights.count != nI {
      throw .dimensionMismatch(what: "inhibitory weights", expected: nI, got: weights.count)
    }
    if !(seconds > 0 && c.window > 0) { throw .invalidParameter("seconds must be > 0") }
    var drive = try Drive(c, seed: c.seed &+ 20)
    var neuron = try LIFPopulation(count: 1, parameters: c.neuron, dt: c.dt)
    let (stepsPerWindow, windows) = try schedule(c, seconds: seconds, "inhibitory STDP test")
    var currents = Currents(c)
    var spikes = 0, correlation = 0.0
    var mean = 0.0
    for v in weights { mean += Double(v) }
    for _ in 0..<windows {
      neuron.resetSpikeCounts()
      currents.startWindow()
      for _ in 0..<stepsPerWindow {
        drive.step(&neuron)
        for s in 0..<drive.inhibitory.fired {
          neuron.addInhibitory(weights[drive.inhibitory.spikeIndex(s)], to: 0)
        }
        neuron.step()
        currents.add(neuron)
      }
      spikes += neuron.spikeCount(0)
      correlation += currents.correlation
    }
    let time = Double(windows) * c.window
    return Test(
      rate: Double(spikes) / time, correlation: correlation / Double(windows),
      meanWeight: Float(mean / Double(max(weights.count, 1))))
  }

  /// The correlation across groups of the excitatory tuning and the mean inhibitory weight
  /// per group of `weights` (0 when either is flat).
  public static func tuningCorrelation(_ c: Configuration, _ weights: [Float]) -> Double {
    let tuning = excitatoryTuning(c)
    var sx = 0.0, sy = 0.0, sxx = 0.0, syy = 0.0, sxy = 0.0
    for g in 0..<c.groups {
      var y = 0.0
      for j in 0..<c.inhibitoryPerGroup where g * c.inhibitoryPerGroup + j < weights.count {
        y += Double(weights[g * c.inhibitoryPerGroup + j])
      }
      y /= Double(c.inhibitoryPerGroup)
      let x = Double(tuning[g])
      sx += x
      sy += y
      sxx += x * x
      syy += y * y
      sxy += x * y
    }
    return pearson(sx, sy, sxx, syy, sxy, Double(c.groups))
  }

  /// The learned weights with whole groups exchanged: group g takes the weights of group
  /// (g + groups/2) mod groups, which moves the inhibitory tuning peak opposite the
  /// excitatory one while keeping every weight value (and so the mean and the spread).
  public static func groupShuffled(_ c: Configuration, _ weights: [Float]) -> [Float] {
    var out = weights
    let k = c.inhibitoryPerGroup, shift = max(c.groups / 2, 1)
    for g in 0..<c.groups {
      let from = (g + shift) % c.groups
      for j in 0..<k where from * k + j < weights.count && g * k + j < out.count {
        out[g * k + j] = weights[from * k + j]
      }
    }
    return out
  }

  /// The factor s such that `weights` × s gives the output rate `rate` (within the
  /// resolution of a 40-step bisection on s ∈ [0, 8]), and the test at that factor. The rate
  /// falls as inhibition grows, so the bisection keeps the bracket where it crosses.
  public static func matchRate(
    _ c: Configuration, weights: [Float], rate: Double, seconds: Double
  ) throws(HebbianError) -> (scale: Double, test: Test) {
    var lo = 0.0, hi = 8.0
    var scaled = weights
    func run(_ s: Double) throws(HebbianError) -> Test {
      for j in 0..<weights.count { scaled[j] = weights[j] * Float(s) }
      return try test(c, weights: scaled, seconds: seconds)
    }
    for _ in 0..<40 {
      let mid = (lo + hi) / 2
      if try run(mid).rate > rate { lo = mid } else { hi = mid }
      if hi - lo < 1e-3 { break }
    }
    let s = (lo + hi) / 2
    return (s, try run(s))
  }
}
