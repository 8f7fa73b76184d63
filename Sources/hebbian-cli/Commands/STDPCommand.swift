import Hebbian
import HebbianExperiments

/// `hebbian stdp window|balance|competitive|reward|scaling`: the spike-timing scenarios of the
/// plasticity rules, results as CSV on stdout, progress and summaries on stderr.
enum STDPCommand {
  static let command = Command(
    name: "stdp",
    summary: "Spike-timing plasticity: window (the Δw(Δt) curve), balance (Vogels 2011 "
      + "inhibitory STDP), competitive (Song 2000 weight distribution), reward (Izhikevich 2007 "
      + "three-factor STDP), scaling (homeostatic synaptic scaling).",
    options: options.map { $0.spec },
    allowPositionals: true,
    modes: modeOptions,
    run: { (o: ParsedOptions) throws(CLIError) in try run(o) }
  )

  static let modes = ["window", "balance", "competitive", "reward", "scaling"]

  /// Every option beside the modes that read it, so that the per-mode help and the check of a
  /// command line come from one list. --quiet is read by none in particular: it is accepted
  /// everywhere and kept out of the per-mode help.
  static let options: [(spec: OptionSpec, modes: [String])] = [
    (.quiet, []),
    (STDPOptions.aPlus, ["window", "competitive"]),
    (
      STDPOptions.aMinus,
      ["window", "competitive"]
    ),
    (
      STDPOptions.tauPlus,
      ["window", "balance", "competitive"]
    ),
    (STDPOptions.tauMinus, ["window"]),
    (
      STDPOptions.pairing,
      ["window"]
    ),
    (
      STDPOptions.bounds,
      ["window"]
    ),
    (STDPOptions.range, ["window"]),
    (STDPOptions.spacing, ["window"]),
    (
      STDPOptions.rate,
      ["balance", "competitive", "reward", "scaling"]
    ),
    (
      STDPOptions.eta,
      ["balance", "reward", "scaling"]
    ),
    (
      STDPOptions.inhibition,
      ["balance"]
    ),
    (
      STDPOptions.modulation,
      ["balance"]
    ),
    (
      STDPOptions.inputs,
      ["competitive", "reward"]
    ),
    (STDPOptions.delay, ["reward"]),
    (STDPOptions.target, ["scaling"]),
    (
      STDPOptions.gMax,
      ["competitive", "reward"]
    ),
    // Every mode lists --seconds, window too, where run() refuses it with its own message.
    (STDPOptions.seconds, modes),
    (STDPOptions.dt, modes),
    (STDPOptions.seed, modes),
    (STDPOptions.plot, modes),
  ]

  /// The options each mode reads.
  static let modeOptions: [(name: String, options: [String])] = modes.map { mode in
    (mode, options.filter { $0.modes.containsBytes(mode) }.map { $0.spec.name })
  }

  static func run(_ o: ParsedOptions) throws(CLIError) {
    guard o.positionals.count == 1 else {
      throw .usage("expected one mode: window, balance, competitive, reward or scaling")
    }
    let mode = o.positionals[0]
    guard let allowed = modeOptions.first(where: { $0.name.isBytes(mode) })?.options else {
      throw .usage("unknown mode '\(mode)' (window, balance, competitive, reward, scaling)")
    }
    for (name, _) in o.values where !allowed.containsBytes(name) {
      throw .usage("\(name) does not apply to stdp \(mode)")
    }
    if mode.isBytes("window") && o.has(STDPOptions.seconds) {
      throw .usage("--seconds does not apply to stdp window")
    }
    switch mode {
    case "window": try window(o)
    case "balance": try balance(o)
    case "competitive": try competitive(o)
    case "reward": try reward(o)
    default: try scaling(o)
    }
  }

  static func positive(_ o: ParsedOptions, _ option: OptionSpec, _ value: Double)
    throws(CLIError) -> Double
  {
    let v = try o.double(option, default: value)
    if !(v > 0 && v.isFinite) { throw .usage("\(option.name): must be a finite number > 0") }
    return v
  }

  static func rule(_ o: ParsedOptions) throws(CLIError) -> STDPRule {
    let aPlus = try positive(o, STDPOptions.aPlus, 0.005)
    let aMinus = try positive(o, STDPOptions.aMinus, 0.00525)
    let tauPlus = try positive(o, STDPOptions.tauPlus, 20)
    let tauMinus = try positive(o, STDPOptions.tauMinus, 20)
    let pairing = try o.choice(STDPOptions.pairing, ["all", "nearest"], default: "all")
    let bounds = try o.choice(STDPOptions.bounds, ["hard", "soft"], default: "hard")
    return STDPRule.classic(
      aPlus: Float(aPlus), aMinus: Float(aMinus), tauPlus: tauPlus, tauMinus: tauMinus,
      wMin: 0, wMax: 1, pairing: pairing.isBytes("nearest") ? .nearest : .allToAll,
      bounds: bounds.isBytes("soft") ? .soft : .hard)
  }

  static func seed(_ o: ParsedOptions) throws(CLIError) -> UInt64 {
    UInt64(try o.int(STDPOptions.seed, default: 1, min: 0))
  }

  /// The options every simulated mode shares, --seconds, the step --dt (ms) and --seed, with
  /// the checks of the run they describe: at least `minSeconds`, and `synapses` inputs
  /// simulated for that long within the work budget. Refused before anything runs.
  static func clock(
    _ o: ParsedOptions, mode: String, seconds: Double, dt: Double, minSeconds: Double = 0,
    synapses: Int, inputsOption: OptionSpec? = nil
  ) throws(CLIError) -> (seconds: Double, dt: Double, seed: UInt64) {
    let seconds = try positive(o, STDPOptions.seconds, seconds)
    let dt = try positive(o, STDPOptions.dt, dt)
    let seed = try seed(o)
    if seconds < minSeconds {
      throw .usage("--seconds: \(mode) needs at least \(Fmt.fixed(minSeconds, 0)) s")
    }
    var budget = WorkBudget("stdp \(mode)")
    var options = [STDPOptions.seconds, STDPOptions.dt]
    if let i = inputsOption { options.append(i) }
    // A synapse's step (trace decay, spike delivery, weight update) costs about eight
    // multiply-adds.
    budget.work(seconds * 1000 / dt, times: [Int64(synapses), 8], options)
    try budget.check(quiet: o.has(OptionSpec.quiet))
    return (seconds, dt, seed)
  }

  /// One row of a mode's time course, CSV on stdout.
  static func row(_ fields: String...) { Console.out(fields.joined(separator: ",") + "\n") }

  static func writePlot(_ o: ParsedOptions, _ svg: () -> String) throws(CLIError) {
    guard let path = o.string(STDPOptions.plot) else { return }
    try o.outputs.write(path, Array(svg().utf8), option: STDPOptions.plot.name)
    Console.errLine("plot: \(path)")
  }

  /// The time-course modes (balance, reward, scaling) share the x axis: t in seconds.
  static func plotTimeCourse(
    _ o: ParsedOptions, title: String, yLabel: String, _ series: () -> [SVGPlot.Series]
  ) throws(CLIError) {
    try writePlot(o) {
      SVGPlot.render(title: title, xLabel: "t (s)", yLabel: yLabel, series: series())
    }
  }

  /// The output rate of a homeostatic mode against the target rate it is pulled to.
  static func plotRate(
    _ o: ParsedOptions, title: String, target: Double, seconds: Double,
    _ rate: () -> [(x: Double, y: Double)]
  ) throws(CLIError) {
    try plotTimeCourse(o, title: title, yLabel: "output rate (Hz)") {
      [
        .init(name: "rate", points: rate()),
        .init(name: "target", points: [(0, target), (seconds, target)]),
      ]
    }
  }

  // MARK: window

  static func window(_ o: ParsedOptions) throws(CLIError) {
    let r = try rule(o)
    let range = try positive(o, STDPOptions.range, 100)
    let spacing = try positive(o, STDPOptions.spacing, 1)
    let dt = try positive(o, STDPOptions.dt, 0.1)
    // n points each side; the pairing at m·spacing runs m·spacing/dt steps (and two more).
    let n = (range / spacing).rounded(.down)
    var budget = WorkBudget("stdp window")
    budget.work(
      (n * (n + 1) * (spacing / dt) + 4 * n) * 8,
      [STDPOptions.range, STDPOptions.spacing, STDPOptions.dt])
    budget.work(n, times: [32], [STDPOptions.range, STDPOptions.spacing])
    try budget.check(quiet: o.has(OptionSpec.quiet))
    let curve = try usageErrors { () throws(HebbianError) in
      try STDPWindow.curve(rule: r, range: range, spacing: spacing, dt: dt)
    }
    var out = "dt_ms,dw\n"
    for p in curve { out += Fmt.shortest(Float(p.dt)) + "," + Fmt.shortest(p.dw) + "\n" }
    Console.out(out)
    // ∫Δw dΔt = A+τ+ − A−τ−: its sign decides whether uncorrelated pre/post firing
    // potentiates or depresses on average (Song et al. 2000 need it negative).
    var integral = 0.0
    for p in curve { integral += Double(p.dw) * spacing }
    let exact = Double(r.postAmplitude) * r.tauPre + Double(r.preAmplitude) * r.tauPost
    let ltp = curve.first { $0.dt > 0 }, ltd = curve.last { $0.dt < 0 }
    Console.errLine(
      "window: dw(+\(Fmt.fixed(ltp?.dt ?? 0, 1)) ms) = \(Fmt.sci(ltp?.dw ?? 0, 4)), "
        + "dw(\(Fmt.fixed(ltd?.dt ?? 0, 1)) ms) = \(Fmt.sci(ltd?.dw ?? 0, 4)), "
        + "sum dw ddt = \(Fmt.sci(integral, 3)) ms (hard-bound A+tau+ - A-tau- = \(Fmt.sci(exact, 3)) ms)"
    )
    try writePlot(o) {
      SVGPlot.render(
        title: "STDP window", xLabel: "dt = t_post - t_pre (ms)", yLabel: "dw",
        series: [
          .init(
            name: "LTD (dt<0)", points: curve.filter { $0.dt < 0 }.map { ($0.dt, Double($0.dw)) }),
          .init(
            name: "LTP (dt>0)", points: curve.filter { $0.dt > 0 }.map { ($0.dt, Double($0.dw)) }),
        ])
    }
  }

  // MARK: balance (Vogels et al. 2011)

  static func balance(_ o: ParsedOptions) throws(CLIError) {
    var c = InhibitoryBalance.Configuration()
    c.targetRate = try positive(o, STDPOptions.rate, 5)
    c.eta = Float(try positive(o, STDPOptions.eta, 0.001))
    c.tau = try positive(o, STDPOptions.tauPlus, 20)
    let w0 = try o.double(STDPOptions.inhibition, default: 0)
    if !(w0 >= 0 && w0 <= 1) { throw .usage("--inhibition: must be in [0, 1]") }
    c.initialInhibitoryWeight = Float(w0)
    c.signalAmplitude = try o.double(STDPOptions.modulation, default: 0.5)
    if !(c.signalAmplitude >= 0) { throw .usage("--modulation: must be >= 0") }
    (c.seconds, c.dt, c.seed) = try clock(
      o, mode: "balance", seconds: 200, dt: 0.5,
      synapses: c.groups * (c.excitatoryPerGroup + c.inhibitoryPerGroup + 1))
    Console.errLine(
      "inhibitory STDP (Vogels et al. 2011): target \(Fmt.fixed(c.targetRate, 1)) Hz, "
        + "eta \(Fmt.sci(c.eta, 2)), alpha = 2 rho0 tau = \(Fmt.fixed(2 * c.targetRate * c.tau / 1000, 3)), "
        + "\(c.groups) groups x (\(c.excitatoryPerGroup) E + \(c.inhibitoryPerGroup) I) inputs, "
        + "\(Fmt.fixed(c.seconds, 0)) s")
    Console.out("t_s,rate_hz,mean_inh_weight,ei_current_corr\n")
    let result = try usageErrors { () throws(HebbianError) in
      try InhibitoryBalance.run(c) { s in
        row(
          Fmt.fixed(s.time, 1), Fmt.fixed(s.rate, 1), Fmt.shortest(s.meanInhibitoryWeight),
          Fmt.fixed(s.currentCorrelation, 4))
      }
    }
    let quarter = c.seconds / 4
    let first = result.samples[0]
    let last = result.average(from: c.seconds - quarter)
    Console.errLine(
      "first \(Fmt.fixed(c.window, 0)) s: rate \(Fmt.fixed(first.rate, 2)) Hz, E/I current correlation "
        + "\(Fmt.fixed(first.currentCorrelation, 3))")
    Console.errLine(
      "last \(Fmt.fixed(quarter, 0)) s: rate \(Fmt.fixed(last.rate, 2)) Hz (target \(Fmt.fixed(c.targetRate, 2))), "
        + "E/I current correlation \(Fmt.fixed(last.correlation, 3))")
    var e = "", i = ""
    for g in 0..<c.groups {
      e += (g == 0 ? "" : " ") + Fmt.fixed(result.excitatoryTuning[g], 4)
      i += (g == 0 ? "" : " ") + Fmt.fixed(result.inhibitoryTuning[g], 4)
    }
    Console.errLine("excitatory weight per group: \(e)")
    Console.errLine("inhibitory weight per group: \(i)")
    Console.errLine(
      "E/I tuning correlation across groups: \(Fmt.fixed(result.tuningCorrelation, 3))")
    // Detailed balance (Vogels et al. 2011, Fig. 1): the currents, low-pass filtered at the
    // 50 ms of the input signals, co-track after learning.
    Console.errLine(
      "E/I current correlation: before \(Fmt.fixed(first.currentCorrelation, 3)) after "
        + "\(Fmt.fixed(last.correlation, 3)) (first \(Fmt.fixed(c.window, 0)) s vs last \(Fmt.fixed(quarter, 0)) s, "
        + "currents low-pass filtered with tau = \(Fmt.fixed(c.currentFilter, 0)) ms)")
    try balanceControls(c, result, seconds: quarter)
    try plotRate(
      o, title: "Inhibitory STDP (Vogels et al. 2011)", target: c.targetRate, seconds: c.seconds
    ) { result.samples.map { ($0.time, $0.rate) } }
  }

  /// The learned inhibition against the controls that could explain its co-tracking: the
  /// same cell with the weights frozen, on fresh inputs shared by every row. Uniform
  /// inhibition (every weight the learned mean) and group-shuffled learned inhibition (the
  /// same weights, the tuning peak moved opposite the excitatory one), each at the learned
  /// mean weight and rescaled to the learned output rate; no inhibition at all last.
  static func balanceControls(
    _ c: InhibitoryBalance.Configuration, _ result: InhibitoryBalance.Result, seconds: Double
  ) throws(CLIError) {
    let learned = result.inhibitoryWeights
    var mean: Float = 0
    for v in learned { mean += v }
    mean /= Float(max(learned.count, 1))
    let uniform = [Float](repeating: mean, count: learned.count)
    let shuffled = InhibitoryBalance.groupShuffled(c, learned)
    let none = [Float](repeating: 0, count: learned.count)
    Console.errLine(
      "controls, weights frozen, \(Fmt.fixed(seconds, 0)) s of fresh inputs shared by every row:")
    Console.errLine(
      "  inhibition                 scale  mean weight   rate Hz   E/I current corr   tuning corr")
    try usageErrors { () throws(HebbianError) in
      let base = try InhibitoryBalance.test(c, weights: learned, seconds: seconds)
      func line(_ name: String, _ scale: Double, _ w: [Float], _ t: InhibitoryBalance.Test) {
        Console.errLine(
          "  " + Fmt.padRight(name, 25) + Fmt.pad(Fmt.fixed(scale, 3), 7)
            + Fmt.pad(Fmt.fixed(t.meanWeight, 5), 13) + Fmt.pad(Fmt.fixed(t.rate, 2), 10)
            + Fmt.pad(Fmt.fixed(t.correlation, 3), 19)
            + Fmt.pad(Fmt.fixed(InhibitoryBalance.tuningCorrelation(c, w), 3), 14))
      }
      line("learned", 1, learned, base)
      for (name, w) in [("uniform", uniform), ("group-shuffled", shuffled)] {
        line(
          name + ", same mean", 1, w, try InhibitoryBalance.test(c, weights: w, seconds: seconds))
        let m = try InhibitoryBalance.matchRate(c, weights: w, rate: base.rate, seconds: seconds)
        var scaled = w
        for j in 0..<scaled.count { scaled[j] *= Float(m.scale) }
        line(name + ", same rate", m.scale, scaled, m.test)
      }
      line("none", 0, none, try InhibitoryBalance.test(c, weights: none, seconds: seconds))
    }
  }

  // MARK: competitive (Song, Miller & Abbott 2000)

  static func competitive(_ o: ParsedOptions) throws(CLIError) {
    var c = CompetitiveSTDP.Configuration()
    c.inputs = try o.int(STDPOptions.inputs, default: 1000, min: 1)
    c.rate = try positive(o, STDPOptions.rate, 10)
    c.aPlus = Float(try positive(o, STDPOptions.aPlus, 0.005))
    c.depressionRatio = Float(try positive(o, STDPOptions.aMinus, 0.00525)) / c.aPlus
    c.tau = try positive(o, STDPOptions.tauPlus, 20)
    c.gMax = Float(try positive(o, STDPOptions.gMax, 0.015))
    (c.seconds, c.dt, c.seed) = try clock(
      o, mode: "competitive", seconds: 200, dt: 0.5, synapses: c.inputs + c.inhibitoryInputs,
      inputsOption: STDPOptions.inputs)
    Console.errLine(
      "competitive STDP: \(c.inputs) inputs at \(Fmt.fixed(c.rate, 1)) Hz, g_max \(Fmt.sci(c.gMax, 2)), "
        + "A+ \(Fmt.sci(c.aPlus, 2)) g_max, A-/A+ \(Fmt.fixed(c.depressionRatio, 3)), \(Fmt.fixed(c.seconds, 0)) s"
    )
    let result = try usageErrors { () throws(HebbianError) in
      try CompetitiveSTDP.run(c) { second, rate, mean in
        if (second + 1) % 10 == 0 {
          Console.progress(
            o,
            "t \(second + 1) s  output \(Fmt.fixed(rate, 1)) Hz  mean w/g_max \(Fmt.fixed(mean, 3))"
          )
        }
      }
    }
    let bins = 20
    let h = result.histogram(bins: bins)
    var out = "w_over_gmax,count\n"
    for b in 0..<bins { out += Fmt.fixed((Double(b) + 0.5) / Double(bins), 3) + ",\(h[b])\n" }
    Console.out(out)
    var tail = 0.0
    let last = min(10, result.rates.count)
    for r in result.rates.suffix(last) { tail += r }
    Console.errLine(
      "weights < 0.1 g_max: \(Fmt.fixed(100 * result.fractionLow, 1)) %, > 0.9 g_max: "
        + "\(Fmt.fixed(100 * result.fractionHigh, 1)) %, output rate (last \(last) s) "
        + "\(Fmt.fixed(tail / Double(last), 1)) Hz")
    try writePlot(o) {
      SVGPlot.render(
        title: "STDP weight distribution (Song et al. 2000)", xLabel: "w / g_max",
        yLabel: "synapses",
        series: [
          .init(
            name: "after \(Fmt.fixed(c.seconds, 0)) s",
            points: (0..<bins).map {
              ((Double($0) + 0.5) / Double(bins), Double(h[$0]))
            })
        ])
    }
  }
}

/// The options of `hebbian stdp`, each declared once: its table and every query read these.
enum STDPOptions {
  static let aPlus = OptionSpec.value(
    "--a-plus", "A", "LTP amplitude A+ (default 0.005)"
  ).within(0...1)
  static let aMinus = OptionSpec.value(
    "--a-minus", "A", "LTD amplitude A- as a positive number (default 0.00525 = 1.05 A+)"
  ).within(0...1)
  static let tauPlus = OptionSpec.value(
    "--tau-plus", "MS", "LTP time constant in ms (default 20)"
  ).within(1e-3...1e5)
  static let tauMinus = OptionSpec.value(
    "--tau-minus", "MS", "LTD time constant in ms (default 20)"
  ).within(1e-3...1e5)
  static let pairing = OptionSpec.value(
    "--pairing", "all|nearest", "spike pairing: all-to-all or nearest spike (default all)")
  static let bounds = OptionSpec.value(
    "--bounds", "hard|soft", "weight bounds: clip or multiplicative (default hard)")
  static let range = OptionSpec.value(
    "--range", "MS", "window: largest |dt| in ms (default 100)"
  ).within(1e-3...1e6)
  static let spacing = OptionSpec.value(
    "--spacing", "MS", "window: dt spacing in ms (default 1)"
  ).within(1e-3...1e6)
  static let rate = OptionSpec.value(
    "--rate", "HZ",
    "balance: target rate rho0 in Hz (default 5); competitive: input rate (default 10); "
      + "reward, scaling: input rate (default 5)"
  ).within(1e-3...1e3)
  static let eta = OptionSpec.value(
    "--eta", "X",
    "balance: inhibitory learning rate (default 0.001); reward: weight change per tag x "
      + "dopamine x s (default 0.1); scaling: scaling rate per Hz of error x s (default 0.01)"
  ).within(1e-12...10)
  static let inhibition = OptionSpec.value(
    "--inhibition", "G",
    "balance: initial inhibitory weight, x g_leak (default 0: no inhibition)"
  ).within(0...1)
  static let modulation = OptionSpec.value(
    "--modulation", "X",
    "balance: s.d. of the shared group rate signal / mean rate (default 0.5)"
  ).within(0...100)
  static let inputs = OptionSpec.value(
    "--inputs", "N",
    "competitive: excitatory inputs (default 1000); reward: plastic inputs (default 100)"
  ).within(1...1_000_000)
  static let delay = OptionSpec.value(
    "--delay", "MS", "reward: largest reward delay in ms (default 1000)"
  ).within(1e-3...1e6)
  static let target = OptionSpec.value(
    "--target", "HZ", "scaling: target rate in Hz (default 5)"
  ).within(1e-3...1e3)
  static let gMax = OptionSpec.value(
    "--g-max", "G",
    "competitive: upper weight bound, x g_leak (default 0.015); reward: (default 0.5)"
  ).within(1e-9...100)
  static let seconds = OptionSpec.value(
    "--seconds", "S", "simulated time in s (default 200)"
  ).within(1e-3...1e7)
  static let dt = OptionSpec.value(
    "--dt", "MS", "time step in ms (default 0.1 for window, 0.5 otherwise)"
  ).within(1e-3...10)
  static let seed = OptionSpec.value(
    "--seed", "N", "random seed (default 1)"
  ).within(0...2_147_483_647)
  static let plot = OptionSpec.value(
    "--plot", "FILE.svg", "also draw the result as an SVG line plot"
  ).output()
}
