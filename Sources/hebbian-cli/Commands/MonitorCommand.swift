import CHebbianSys
import Hebbian

/// `hebbian monitor`: a novelty monitor on a sensor stream. Learns the stream's normal
/// behaviour (or loads it), calibrates control limits for T² and Q, then scores every sample
/// and raises alarms; one output row per input row, flushed live on a pipe.
enum MonitorCommand {
  static let command = Command(
    name: "monitor",
    summary:
      "Watch a stream for novelty: learn, calibrate T2 and Q limits, then flag samples (NoveltyMonitor).",
    options: OptionSpec.samples + OptionSpec.csvLayout + [
      MonitorOptions.model,
      MonitorOptions.learn,
      MonitorOptions.calibrate,
      MonitorOptions.passes,
      MonitorOptions.components,
      MonitorOptions.lags,
      MonitorOptions.rule,
      MonitorOptions.falseAlarm,
      MonitorOptions.limits,
      MonitorOptions.window,
      MonitorOptions.alarm,
      MonitorOptions.adapt,
      MonitorOptions.forget,
      MonitorOptions.seed,
      MonitorOptions.skipNonfinite,
      MonitorOptions.output,
      MonitorOptions.saveModel,
      MonitorOptions.checkpoint,
      MonitorOptions.checkpointEvery,
      MonitorOptions.resume,
      MonitorOptions.plot,
      .quiet,
    ],
    run: { (o: ParsedOptions) throws(CLIError) in try run(o) }
  )

  /// The largest number of multiply-adds a run may ask for before it starts: about an hour
  /// of a board's core.
  static let workBudget: Int64 = 1 << 42

  static func run(_ o: ParsedOptions) throws(CLIError) {
    var plan = try Plan(o)
    try plan.execute(o)
  }
}

/// One monitor run: the options read once, the budget checked, then the story: open the
/// input, build or load the monitor, stream every sample through it, write what it says.
struct Plan {
  var input: String
  var format: SampleReader.Format
  var csv: SampleReader.CSVOptions
  var dimension: Int?
  var source: Source
  var passes: Int
  var checkpointEvery: Int64
  var quiet: Bool

  enum Source {
    /// Learn from the first `learn` samples, then calibrate on `calibrate` more (nil: on
    /// the learned ones again).
    case learn(options: NoveltyMonitor.Options, learn: Int64, calibrate: Int64?)
    case model(ModelFile, path: String)
    case resume(ModelFile, path: String)
  }

  init(_ o: ParsedOptions) throws(CLIError) {
    input = o.string(OptionSpec.samplesFile, default: "-")
    let formatName = try o.choice(
      OptionSpec.samplesFormat, ["csv", "f32"],
      default: SampleReader.Format.guess(input) == .f32 ? "f32" : "csv")
    format = formatName.isBytes("f32") ? .f32 : .csv
    csv = try SampleReader.CSVOptions(o)
    dimension = try o.int(OptionSpec.samplesDimension)
    quiet = o.has(OptionSpec.quiet)
    checkpointEvery = try o.int64(MonitorOptions.checkpointEvery, default: 100_000, min: 1)
    if o.has(MonitorOptions.checkpointEvery) && !o.has(MonitorOptions.checkpoint) {
      throw .usage("--checkpoint-every needs --checkpoint C")
    }
    if let out = o.string(MonitorOptions.output), !out.isBytes("-") {
      if try OutputFormat.rows(out, option: MonitorOptions.output.name) {
        throw .usage("--output \(out): the monitor writes CSV rows; name it .csv (or - for stdout)")
      }
    }
    if let p = o.string(MonitorOptions.plot) {
      try OutputFormat.requireSVG(p, option: MonitorOptions.plot.name)
    }
    let sources = [MonitorOptions.learn, MonitorOptions.model, MonitorOptions.resume].filter {
      o.has($0)
    }
    guard sources.count == 1 else {
      throw .usage(
        sources.isEmpty
          ? "monitor needs --learn N (learn on this stream), --model M or --resume C"
          : "\(sources[0].name) and \(sources[1].name) exclude each other")
    }
    passes = try o.int(MonitorOptions.passes, default: 1, min: 1)
    if o.has(MonitorOptions.learn) {
      source = try Self.learnSource(o)
    } else {
      let option = sources[0]
      let path = try o.required(option)
      for shape in Self.shapeOptions where o.has(shape) {
        throw .usage("\(shape.name): the monitor in \(option.name) \(path) fixes it; leave it out")
      }
      let file = try PCACommand.loadModel(path)
      let resumes = option.name.isBytes(MonitorOptions.resume.name)
      source = resumes ? .resume(file, path: path) : .model(file, path: path)
      if resumes && input.isBytes("-") {
        throw .usage(
          "--resume: give the --input file the checkpointed run read (stdin cannot be rewound); for a new stream use --model \(path)"
        )
      }
    }
  }

  /// Options that describe the monitor itself: fixed by a saved one.
  static let shapeOptions: [OptionSpec] = [
    MonitorOptions.calibrate, MonitorOptions.passes, MonitorOptions.components,
    MonitorOptions.lags, MonitorOptions.rule, MonitorOptions.falseAlarm, MonitorOptions.limits,
    MonitorOptions.window, MonitorOptions.alarm, MonitorOptions.adapt, MonitorOptions.forget,
    MonitorOptions.seed,
  ]

  static func learnSource(_ o: ParsedOptions) throws(CLIError) -> Source {
    let learn = try o.int64(MonitorOptions.learn, default: 0, min: 1)
    let calibrate = try o.int64(MonitorOptions.calibrate).map { (m) throws(CLIError) -> Int64 in
      if m < 1 { throw .usage("--calibrate: must be >= 1, got \(m)") }
      return m
    }
    var m = NoveltyMonitor.Options(
      channels: 1, components: try o.int(MonitorOptions.components, default: 3, min: 1))
    m.lags = try o.int(MonitorOptions.lags, default: 1, min: 1)
    let ruleName = try o.choice(
      MonitorOptions.rule, ["gha", "subspace", "oja", "ccipca"], default: "gha")
    m.rule = OnlinePCA.Rule(name: ruleName)!
    m.falseAlarmRate = try o.double(MonitorOptions.falseAlarm, default: 0.001)
    guard m.falseAlarmRate >= 1e-12 && m.falseAlarmRate <= 0.5 else {
      throw .usage(
        "--false-alarm: must be in [1e-12, 0.5], got \(o.string(MonitorOptions.falseAlarm)!)")
    }
    let limits = try o.choice(
      MonitorOptions.limits, ["theoretical", "empirical"], default: "theoretical")
    m.limits = NoveltyMonitor.LimitMethod(name: limits)!
    m.window = try o.int(MonitorOptions.window, default: 1, min: 1)
    m.alarmCount = try o.int(MonitorOptions.alarm, default: 1, min: 1)
    if m.window > 1 << 16 { throw .usage("--window: at most 65536, got \(m.window)") }
    if m.alarmCount > m.window {
      throw .usage("--alarm \(m.alarmCount): at most the --window (\(m.window))")
    }
    if o.has(MonitorOptions.forget) && !o.has(MonitorOptions.adapt) {
      throw .usage("--forget needs --adapt")
    }
    if o.has(MonitorOptions.adapt) {
      m.adaptRate = try o.double(MonitorOptions.forget, default: 0.001)
      guard m.adaptRate > 0 && m.adaptRate <= 0.5 else {
        throw .usage("--forget: must be in (0, 0.5], got \(o.string(MonitorOptions.forget)!)")
      }
    }
    if let s = try o.int64(MonitorOptions.seed) { m.seed = UInt64(bitPattern: s) }
    return .learn(options: m, learn: learn, calibrate: calibrate)
  }

  mutating func execute(_ o: ParsedOptions) throws(CLIError) {
    // The reader first: the stream's width completes the monitor's shape.
    var reader = try SampleReader(
      path: input, format: format, dimension: savedChannels() ?? dimension, csv: csv)
    reader.skipNonFinite = o.has(MonitorOptions.skipNonfinite)
    if input.isBytes("-") && hb_sys_isatty(0) == 1 && !quiet {
      Console.errLine("monitor: reading samples from the terminal (one per line; end with Ctrl-D)")
    }
    let d = try reader.prime()
    var monitor = try makeMonitor(channels: d)
    var run = try MonitorRun(o, channels: d, quiet: quiet, checkpointEvery: checkpointEvery)
    run.identity = try InputIdentity(
      of: input, format: format, skipNonFinite: reader.skipNonFinite)
    switch source {
    case .learn(_, let learn, let calibrate):
      try run.learnAndCalibrate(
        &monitor, &reader, learn: learn, calibrate: calibrate, passes: passes)
    case .model:
      // A new stream: its first lags − 1 samples have no history.
      monitor.resetHistory()
    case .resume(let file, let path):
      let at = Int64(clamping: (try? file.counter("records")) ?? 0)
      try run.checkSameInput(file, path: path)
      try reader.skip(to: at, pass: 0)
      run.recordBase = 0
    }
    try run.detect(&monitor, &reader)
    try run.finish(o, &monitor, reader)
  }

  func savedChannels() -> Int? {
    switch source {
    case .learn: return nil
    case .model(let f, _), .resume(let f, _): return f.shapes.first
    }
  }

  /// The monitor the options or the saved file describe, its memory and work checked against
  /// the budgets before anything is learned.
  func makeMonitor(channels d: Int) throws(CLIError) -> NoveltyMonitor {
    switch source {
    case .learn(var options, let learn, let calibrate):
      options.channels = d
      let dim = Int64(d) * Int64(options.lags)
      if Int64(options.components) >= dim {
        throw .usage(
          "--components \(options.components): must be below dim x lags = \(dim) (Q needs a residual)"
        )
      }
      let held = calibrate == nil || passes > 1 ? learn : 0
      // The learned samples, held for more passes or the calibration pass: in 64 bits, so a
      // 32-bit board refuses exactly what the host refuses.
      let (heldBytes, heldOverflow) = held.multipliedReportingOverflow(by: 4 * Int64(d))
      if heldOverflow || heldBytes > Int64(MemoryBudget.bytes) {
        throw .usage(
          "--learn \(learn): holding \(held) samples of \(d) values needs \(heldOverflow ? "more than 2^63 bytes" : "\(heldBytes >> 20) MiB"), above the memory budget of \(MemoryBudget.bytes >> 20) MiB; lower --learn or give --calibrate M with --passes 1"
        )
      }
      // Multiply-adds: each pass learns k×D per sample; calibration and detection score k×D.
      let perSample = Int64(options.components) * dim
      let (work, overflow) = (Int64(passes) + 1).multipliedReportingOverflow(
        by: Swift.max(learn, 1))
      let (total, overflow2) = work.multipliedReportingOverflow(by: perSample)
      if overflow || overflow2 || total > MonitorCommand.workBudget {
        throw .usage(
          "--learn \(learn) x --passes \(passes): about \(overflow || overflow2 ? "more than 2^63" : "\(total)") multiply-adds of learning, above the budget of 2^42; lower --passes, --learn or --components"
        )
      }
      if options.limits == .empirical {
        options.calibrationCapacity = Int(clamping: calibrate ?? learn)
      }
      do throws(HebbianError) {
        return try NoveltyMonitor(options)
      } catch {
        throw .usage(Self.optionMessage(error.message))
      }
    case .model(let file, let path), .resume(let file, let path):
      do throws(HebbianError) {
        let m = try NoveltyMonitor(restoring: file)
        if case .model = source, m.phase != .detect {
          throw HebbianError.format(
            "the monitor is in its \(m.phase.name) phase; --model needs one that has calibrated")
        }
        return m
      } catch {
        throw .data("\(path): \(error.message)")
      }
    }
  }

  /// The library names its options; the command line's words for them.
  static func optionMessage(_ s: String) -> String {
    var m = s
    if m.hasBytePrefix("NoveltyMonitor: ") { m = m.droppingBytes(prefix: 16) }
    return m
  }
}

/// The options of `hebbian monitor`, each declared once: its table and every query read these.
enum MonitorOptions {
  static let model = OptionSpec.value(
    "--model", "M", "a monitor saved with --save-model: detect with it (a new stream)"
  ).input()
  static let learn = OptionSpec.value(
    "--learn", "N", "learn from the first N samples (then calibrate and detect)"
  ).within(1...4e18)
  static let calibrate = OptionSpec.value(
    "--calibrate", "M",
    "calibrate on the M samples after them (default: on the learned ones again)"
  ).within(1...4e18)
  static let passes = OptionSpec.value(
    "--passes", "P", "passes over the learned samples (default 1; they are held in memory)"
  ).within(1...1e6)
  static let components = OptionSpec.value(
    "--components", "K", "principal components kept (default 3, below dim x lags)"
  ).within(1...65535)
  static let lags = OptionSpec.value(
    "--lags", "L", "samples stacked into one vector (time-delay embedding; default 1)"
  ).within(1...1024)
  static let rule = OptionSpec.value("--rule", "R", "gha|subspace|oja|ccipca (default gha)")
  static let falseAlarm = OptionSpec.value(
    "--false-alarm", "P", "target rate of normal samples beyond a limit (default 0.001)"
  ).within(1e-12...0.5)
  static let limits = OptionSpec.value(
    "--limits", "theoretical|empirical", "how limits are set (default theoretical)")
  static let window = OptionSpec.value(
    "--window", "n", "samples the alarm looks back over (default 1)"
  ).within(1...65536)
  static let alarm = OptionSpec.value(
    "--alarm", "k", "exceedances among the last n that raise the alarm (default 1)"
  ).within(1...65536)
  static let adapt = OptionSpec.flag(
    "--adapt", "keep learning from samples judged normal (frozen while alarmed)")
  static let forget = OptionSpec.value(
    "--forget", "R", "forgetting rate of --adapt (default 0.001)"
  ).within(1e-9...0.5)
  static let seed = OptionSpec.value("--seed", "S", "seed of the learner's initial rows")
  static let skipNonfinite = OptionSpec.flag(
    "--skip-nonfinite", "skip (and count) samples holding NaN or infinity")
  static let output = OptionSpec.value(
    "--output", "OUT|-", "id,t2,q,t2_limit,q_limit,alarm rows (default -: stdout)"
  )
  .output()
  static let saveModel = OptionSpec.value(
    "--save-model", "M", "write the monitor (all its state) at the end"
  ).output(
    mayReplace: [MonitorOptions.model])
  static let checkpoint = OptionSpec.value(
    "--checkpoint", "C", "write the monitor every --checkpoint-every detected samples"
  )
  .output(mayReplace: [MonitorOptions.resume])
  static let checkpointEvery = OptionSpec.value(
    "--checkpoint-every", "N", "detected samples between checkpoints (default 100000)"
  ).within(1...4e18)
  static let resume = OptionSpec.value(
    "--resume", "C", "continue a run from its checkpoint (same input)"
  ).input()
  static let plot = OptionSpec.value(
    "--plot", "FILE.svg", "T2 and Q over their limits, alarms shaded"
  ).output()
}
