import CHebbianSys
import Hebbian

/// The options of `hebbian pca`, each declared once (the table, its help and every query read
/// these), and the run they describe, read and checked before the first sample: the input,
/// the model to resume or continue, the rule, its shape and its schedule.
struct PCAOptions {
  static let components = OptionSpec.value(
    "--components", "K", "components to learn (default 2; 1 for oja)")
  static let rule = OptionSpec.value(
    "--rule", "R", "oja|subspace|gha|similarity|fsm|ccipca (default gha)")
  static let eta = OptionSpec.value(
    "--eta", "X",
    "rate: the scale c of c/(t0+t) or c/(t0+t)^0.75, or the constant rate (default per rule)")
  static let schedule = OptionSpec.value(
    "--schedule", "S", "inverse|power|constant (default: power for oja, else inverse)")
  static let t0 = OptionSpec.value(
    "--t0", "X", "offset t0 of the inverse or power schedule (default per rule; 10 x --eta)")
  static let floor = OptionSpec.value(
    "--floor", "X", "lowest rate, to track a drifting stream (default 0)")
  static let center = OptionSpec.flag("--center", "subtract a running mean (the default)")
  static let noCenter = OptionSpec.flag(
    "--no-center", "learn on the raw samples, without a running mean")
  static let batch = OptionSpec.value(
    "--batch", "B", "mini-batch size for oja/subspace/gha (default 1)")
  static let seed = OptionSpec.value("--seed", "S", "seed of the initial weights")
  static let saveComponents = OptionSpec.value(
    "--save-components", "OUT.f32", "write K x D float32, unit orthogonal rows"
  ).output()
  static let project = OptionSpec.value(
    "--project", "OUT", "write the K outputs per sample (.f32 raw, else CSV; - stdout)"
  ).output()
  static let reference = OptionSpec.value(
    "--reference", "R.f32", "a known basis (rows x D float32): report subspace error"
  ).input()
  static let plot = OptionSpec.value(
    "--plot", "FILE.svg", "draw orthonormality (and subspace) error vs samples"
  ).output()
  static let skipNonFinite = OptionSpec.flag(
    "--skip-nonfinite", "skip (and count) samples holding NaN or infinity instead of failing")
  static let checkpoint = OptionSpec.value(
    "--checkpoint", "C", "write a checkpoint (atomically) every --checkpoint-every samples"
  ).output(mayReplace: [resume, continueFrom])
  static let checkpointEvery = OptionSpec.value(
    "--checkpoint-every", "N", "samples between checkpoints (default 100000)")
  static let resume = OptionSpec.value(
    "--resume", "C", "continue from checkpoint C (same command line; stdin: the rest of the stream)"
  ).input()
  static let continueFrom = OptionSpec.value(
    "--continue", "M",
    "train the saved model M (or a checkpoint) further on a new input: weights, mean and schedule carried over"
  ).input()
  static let saveModel = OptionSpec.value(
    "--save-model", "M", "write the final model (the checkpoint format)"
  ).output(mayReplace: [resume, continueFrom])
  static let maxSamples = OptionSpec.value(
    "--max-samples", "N", "stop after N samples in all (a later --resume continues)")

  /// The command's table, in the order its help lists it.
  static let table: [OptionSpec] =
    OptionSpec.samples + OptionSpec.csvLayout + [
      components, rule, eta, schedule, t0, floor, center, noCenter, OptionSpec.passes, batch, seed,
      saveComponents, project, reference, plot, OptionSpec.quiet, skipNonFinite, checkpoint,
      checkpointEvery, resume, continueFrom, saveModel, maxSamples,
    ]

  /// The options that describe the learning-rate schedule.
  static let scheduleOptions = [schedule, eta, t0, floor]

  var input: String
  var format: SampleReader.Format
  var formatName: String
  /// --passes as given: a resumed run otherwise keeps its checkpoint's.
  var passesGiven: Int?
  var maxSamples: Int64
  var dimension: Int?
  var seed: UInt64
  var quiet: Bool
  var checkpoint: String?
  var checkpointEvery: Int64
  var csv: SampleReader.CSVOptions
  var skipNonFinite: Bool
  /// The model of --resume or --continue, read and checked against the other options.
  var saved: PCACommand.Saved?
  var rule: OnlinePCA.Rule
  var components: Int
  var batch: Int
  var centering: Bool
  var rate: LearningRate
  var project: String?
  var reference: String?
  var saveComponents: String?
  var saveModel: String?
  var plot: String?

  /// Reads and checks the options in a fixed order, so that of several faults the same one
  /// is named on every run. A saved model (--resume, --continue) fixes the rule, the shape,
  /// the centring and the batch; options that disagree with it are refused rather than
  /// silently ignored.
  init(_ o: ParsedOptions) throws(CLIError) {
    input = o.string(OptionSpec.samplesFile, default: "-")
    project = o.string(Self.project)
    if let p = project { _ = try OutputFormat.rows(p, option: Self.project.name) }
    formatName = try o.choice(
      OptionSpec.samplesFormat, ["csv", "f32"],
      default: SampleReader.Format.guess(input) == .f32 ? "f32" : "csv")
    format = formatName.isBytes("f32") ? .f32 : .csv
    passesGiven = try o.int(OptionSpec.passes).map { (v) throws(CLIError) -> Int in
      if v < 1 { throw .usage("--passes: must be >= 1, got \(v)") }
      return v
    }
    if (passesGiven ?? 1) > 1 && input.isBytes("-") {
      throw .usage("--passes: stdin can be read only once")
    }
    maxSamples = try o.int64(Self.maxSamples, default: Int64.max, min: 1)
    dimension = try o.int(OptionSpec.samplesDimension)
    if let dim = dimension, dim > SampleReader.maxDimension {
      throw .usage("--dim: at most \(SampleReader.maxDimension) values per sample, got \(dim)")
    }
    seed = try o.int(Self.seed).map { UInt64(truncatingIfNeeded: $0) } ?? 0x5EED_0F_0A1A
    quiet = o.has(OptionSpec.quiet)
    checkpoint = o.string(Self.checkpoint)
    if o.has(Self.checkpointEvery) && checkpoint == nil {
      throw .usage("--checkpoint-every needs --checkpoint C")
    }
    checkpointEvery = try o.int64(Self.checkpointEvery, default: 100_000, min: 1)
    csv = try SampleReader.CSVOptions(o)
    if csv.idColumn != nil, let p = project, PCACommand.isF32(p) {
      throw .usage("--id-column: the id is written to CSV --project output, not to .f32")
    }
    skipNonFinite = o.has(Self.skipNonFinite)
    if o.has(Self.resume) && o.has(Self.continueFrom) {
      throw .usage(
        "--continue: not with --resume (--resume finishes the same stream, --continue learns a new one)"
      )
    }
    saved = try PCACommand.loadSaved(o)
    let ruleName = try o.choice(
      Self.rule, ["oja", "subspace", "gha", "similarity", "fsm", "ccipca"],
      default: saved?.rule.name ?? "gha")
    rule = OnlinePCA.Rule(name: ruleName)!
    components = try o.int(
      Self.components, default: saved?.components ?? (rule == .oja ? 1 : 2), min: 1)
    batch = try o.int(Self.batch, default: saved?.batch ?? 1, min: 1)
    if batch > 1 && !(rule == .oja || rule == .subspace || rule == .gha) {
      throw .usage(
        "--batch: mini-batches apply to oja, subspace and gha; --rule \(rule.name) learns sample by sample"
      )
    }
    if format == .f32 {
      for option in OptionSpec.csvLayout where o.has(option) {
        throw .usage("\(option.name): applies to CSV input, not f32")
      }
    }
    if o.has(Self.center) && o.has(Self.noCenter) {
      throw .usage("--center and --no-center: give one of them")
    }
    // Centring is the default: on uncentred data (pixels, raw sensor units) an uncentred rule
    // spends its first component on the mean.
    centering = saved?.centering ?? !o.has(Self.noCenter)
    rate = try PCACommand.learningRate(o, rule: rule, saved: saved?.rate)
    if let sv = saved {
      try sv.checkAgrees(o, rule: rule, components: components, batch: batch, rate: rate)
      if let given = dimension, given != sv.dimension {
        throw .usage("--dim \(given): \(sv.option) \(sv.path) has dimension \(sv.dimension)")
      }
    }
    reference = o.string(Self.reference)
    saveComponents = o.string(Self.saveComponents)
    saveModel = o.string(Self.saveModel)
    plot = o.string(Self.plot)
  }

  /// The input stream, its width read (from the first line of a CSV input, or the saved model).
  func openReader() throws(CLIError) -> SampleReader {
    var reader = try SampleReader(
      path: input, format: format, dimension: saved?.dimension ?? dimension, csv: csv,
      dimensionSource: saved.map { "\($0.option) \($0.path) has dimension \($0.dimension)" })
    reader.skipNonFinite = skipNonFinite
    return reader
  }

  /// A new reader of the same input, for another pass or the summary's second reading.
  func reopen(dimension d: Int) throws(CLIError) -> SampleReader {
    var r = try SampleReader(path: input, format: format, dimension: d, csv: csv)
    r.skipNonFinite = skipNonFinite
    return r
  }

  /// W is k×d and the batch scratch b×d floats: bound them so a typo cannot ask for
  /// gigabytes (2^26 floats = 256 MiB, beyond any board's model).
  func checkShape(dimension d: Int) throws(CLIError) {
    let k = components
    if k > d { throw .usage("--components: at most the dimension \(d), got \(k)") }
    if k.multipliedReportingOverflow(by: d).overflow || k * d > 1 << 26 {
      throw .usage("--components x dimension: at most \(1 << 26) weights, got \(k) x \(d)")
    }
    if batch.multipliedReportingOverflow(by: d).overflow || batch * d > 1 << 26 {
      throw .usage("--batch x dimension: at most \(1 << 26) values, got \(batch) x \(d)")
    }
  }

  /// The input's identity (recorded in checkpoints); an f32 file that is not a whole number
  /// of samples is refused now, with the reader's own message (file:sample:value), rather
  /// than after learning the whole file.
  func inputIdentity(dimension d: Int) throws(CLIError) -> InputIdentity {
    let source = try InputIdentity(of: input, format: format, skipNonFinite: skipNonFinite)
    if format == .f32 && !source.stdin && source.bytes % UInt64(4 * d) != 0 {
      let per = UInt64(4 * d)
      let trailing = source.bytes % per
      throw .data(
        "\(input):\(source.bytes / per + 1):\(trailing / 4 + 1): truncated: \(trailing) trailing bytes, not a whole sample of \(d) float32 values"
      )
    }
    return source
  }
}
