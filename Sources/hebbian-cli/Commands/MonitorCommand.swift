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
      .value(
        "--model", "M", "a monitor saved with --save-model: detect with it (a new stream)"
      ).input(),
      .value("--learn", "N", "learn from the first N samples (then calibrate and detect)").within(1...4e18),
      .value(
        "--calibrate", "M",
        "calibrate on the M samples after them (default: on the learned ones again)").within(1...4e18),
      .value("--passes", "P", "passes over the learned samples (default 1; they are held in memory)").within(1...1e6),
      .value("--components", "K", "principal components kept (default 3, below dim x lags)").within(1...65535),
      .value("--lags", "L", "samples stacked into one vector (time-delay embedding; default 1)").within(1...1024),
      .value("--rule", "R", "gha|subspace|oja|ccipca (default gha)"),
      .value("--false-alarm", "P", "target rate of normal samples beyond a limit (default 0.001)").within(1e-12...0.5),
      .value("--limits", "theoretical|empirical", "how limits are set (default theoretical)"),
      .value("--window", "n", "samples the alarm looks back over (default 1)").within(1...65536),
      .value("--alarm", "k", "exceedances among the last n that raise the alarm (default 1)").within(1...65536),
      .flag("--adapt", "keep learning from samples judged normal (frozen while alarmed)"),
      .value("--forget", "R", "forgetting rate of --adapt (default 0.001)").within(1e-9...0.5),
      .value("--seed", "S", "seed of the learner's initial rows"),
      .flag("--skip-nonfinite", "skip (and count) samples holding NaN or infinity"),
      .value("--output", "OUT|-", "id,t2,q,t2_limit,q_limit,alarm rows (default -: stdout)")
        .output(),
      .value("--save-model", "M", "write the monitor (all its state) at the end").output(
        mayReplace: ["--model"]),
      .value("--checkpoint", "C", "write the monitor every --checkpoint-every detected samples")
        .output(mayReplace: ["--resume"]),
      .value("--checkpoint-every", "N", "detected samples between checkpoints (default 100000)").within(1...4e18),
      .value("--resume", "C", "continue a run from its checkpoint (same input)").input(),
      .value("--plot", "FILE.svg", "T2 and Q over their limits, alarms shaded").output(),
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
    input = o.string("--input", default: "-")
    let formatName = try o.choice(
      "--format", ["csv", "f32"], default: SampleReader.Format.guess(input) == .f32 ? "f32" : "csv")
    format = formatName == "f32" ? .f32 : .csv
    csv = try SampleReader.CSVOptions(o)
    dimension = try o.int("--dim")
    quiet = o.has("--quiet")
    checkpointEvery = try o.int64("--checkpoint-every", default: 100_000, min: 1)
    if o.has("--checkpoint-every") && !o.has("--checkpoint") {
      throw .usage("--checkpoint-every needs --checkpoint C")
    }
    if let out = o.string("--output"), out != "-" {
      if try OutputFormat.rows(out, option: "--output") {
        throw .usage("--output \(out): the monitor writes CSV rows; name it .csv (or - for stdout)")
      }
    }
    if let p = o.string("--plot") { try OutputFormat.requireSVG(p, option: "--plot") }
    let sources = ["--learn", "--model", "--resume"].filter { o.has($0) }
    guard sources.count == 1 else {
      throw .usage(
        sources.isEmpty
          ? "monitor needs --learn N (learn on this stream), --model M or --resume C"
          : "\(sources[0]) and \(sources[1]) exclude each other")
    }
    passes = try o.int("--passes", default: 1, min: 1)
    if o.has("--learn") {
      source = try Self.learnSource(o)
    } else {
      let option = sources[0]
      let path = try o.required(option)
      for name in Self.shapeOptions where o.has(name) {
        throw .usage("\(name): the monitor in \(option) \(path) fixes it; leave it out")
      }
      let file = try PCACommand.loadModel(path)
      source = option == "--model" ? .model(file, path: path) : .resume(file, path: path)
      if option == "--resume" && input == "-" {
        throw .usage("--resume: give the --input file the checkpointed run read (stdin cannot be rewound); for a new stream use --model \(path)")
      }
    }
  }

  /// Options that describe the monitor itself: fixed by a saved one.
  static let shapeOptions = [
    "--calibrate", "--passes", "--components", "--lags", "--rule", "--false-alarm", "--limits",
    "--window", "--alarm", "--adapt", "--forget", "--seed",
  ]

  static func learnSource(_ o: ParsedOptions) throws(CLIError) -> Source {
    let learn = try o.int64("--learn", default: 0, min: 1)
    let calibrate = try o.int64("--calibrate").map { (m) throws(CLIError) -> Int64 in
      if m < 1 { throw .usage("--calibrate: must be >= 1, got \(m)") }
      return m
    }
    let passes = try o.int("--passes", default: 1, min: 1)
    var m = NoveltyMonitor.Options(channels: 1, components: try o.int("--components", default: 3, min: 1))
    m.lags = try o.int("--lags", default: 1, min: 1)
    let ruleName = try o.choice("--rule", ["gha", "subspace", "oja", "ccipca"], default: "gha")
    m.rule = OnlinePCA.Rule(name: ruleName)!
    m.falseAlarmRate = try o.double("--false-alarm", default: 0.001)
    guard m.falseAlarmRate >= 1e-12 && m.falseAlarmRate <= 0.5 else {
      throw .usage("--false-alarm: must be in [1e-12, 0.5], got \(o.string("--false-alarm")!)")
    }
    let limits = try o.choice("--limits", ["theoretical", "empirical"], default: "theoretical")
    m.limits = NoveltyMonitor.LimitMethod(name: limits)!
    m.window = try o.int("--window", default: 1, min: 1)
    m.alarmCount = try o.int("--alarm", default: 1, min: 1)
    if m.window > 1 << 16 { throw .usage("--window: at most 65536, got \(m.window)") }
    if m.alarmCount > m.window {
      throw .usage("--alarm \(m.alarmCount): at most the --window (\(m.window))")
    }
    if o.has("--forget") && !o.has("--adapt") { throw .usage("--forget needs --adapt") }
    if o.has("--adapt") {
      m.adaptRate = try o.double("--forget", default: 0.001)
      guard m.adaptRate > 0 && m.adaptRate <= 0.5 else {
        throw .usage("--forget: must be in (0, 0.5], got \(o.string("--forget")!)")
      }
    }
    if let s = try o.int64("--seed") { m.seed = UInt64(bitPattern: s) }
    return .learn(options: m, learn: learn, calibrate: calibrate)
  }

  mutating func execute(_ o: ParsedOptions) throws(CLIError) {
    // The reader first: the stream's width completes the monitor's shape.
    var reader = try SampleReader(
      path: input, format: format, dimension: savedChannels() ?? dimension, csv: csv)
    reader.skipNonFinite = o.has("--skip-nonfinite")
    if input == "-" && hb_sys_isatty(0) == 1 && !quiet {
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
          "--components \(options.components): must be below dim x lags = \(dim) (Q needs a residual)")
      }
      let held = calibrate == nil || passes > 1 ? learn : 0
      // The learned samples, held for more passes or the calibration pass: in 64 bits, so a
      // 32-bit board refuses exactly what the host refuses.
      let (heldBytes, heldOverflow) = held.multipliedReportingOverflow(by: 4 * Int64(d))
      if heldOverflow || heldBytes > Int64(MemoryBudget.bytes) {
        throw .usage(
          "--learn \(learn): holding \(held) samples of \(d) values needs \(heldOverflow ? "more than 2^63 bytes" : "\(heldBytes >> 20) MiB"), above the memory budget of \(MemoryBudget.bytes >> 20) MiB; lower --learn or give --calibrate M with --passes 1")
      }
      // Multiply-adds: each pass learns k×D per sample; calibration and detection score k×D.
      let perSample = Int64(options.components) * dim
      let (work, overflow) = (Int64(passes) + 1).multipliedReportingOverflow(
        by: Swift.max(learn, 1))
      let (total, overflow2) = work.multipliedReportingOverflow(by: perSample)
      if overflow || overflow2 || total > MonitorCommand.workBudget {
        throw .usage(
          "--learn \(learn) x --passes \(passes): about \(overflow || overflow2 ? "more than 2^63" : "\(total)") multiply-adds of learning, above the budget of 2^42; lower --passes, --learn or --components")
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
    if m.hasBytePrefix("NoveltyMonitor: ") { m = String(m.dropFirst(16)) }
    return m
  }
}
