import Hebbian

/// The options of `hebbian learn`, each declared once, and the run they describe, read and
/// checked before the input is opened.
struct LearnOptions {
  static let rule = OptionSpec.value("--rule", "R", "hebb|covariance|instar|bcm (required)")
  static let outputs = OptionSpec.value("--outputs", "K", "units (default 1)").within(1...100_000)
  static let eta = OptionSpec.value("--eta", "X", "learning rate (default 0.001; instar 0.05)")
    .within(1e-12...10)
  static let decay = OptionSpec.value(
    "--decay", "X", "hebb, covariance: weight decay per sample (default 0)"
  ).within(0...1)
  static let normalize = OptionSpec.flag(
    "--normalize", "hebb: scale every row to unit norm after each step")
  static let meanRate = OptionSpec.value(
    "--mean-rate", "X", "covariance: rate of the running means (default 0.01)"
  ).within(0...1)
  static let thresholdTau = OptionSpec.value(
    "--threshold-tau", "N", "bcm: samples the sliding threshold averages (default 10)"
  ).within(1...1e9)
  static let passes = OptionSpec.passes.within(1...1_000_000)
  static let seed = OptionSpec.value("--seed", "S", "seed of the initial weights (default 1)")
    .within(0...2_147_483_647)
  static let saveWeights = OptionSpec.value(
    "--save-weights", "OUT.f32", "write K x D float32 weights, row-major"
  ).output()

  /// The command's table, in the order its help lists it.
  static let table: [OptionSpec] =
    [rule] + OptionSpec.samples + OptionSpec.csvLayout + [
      outputs, eta, decay, normalize, meanRate, thresholdTau, passes, seed, saveWeights,
    ]

  /// Options that only some rules read, in table order: of several options that do not apply,
  /// the first is named, the same on every run.
  static let ruleOptions: [(option: OptionSpec, rules: [String])] = [
    (decay, ["hebb", "covariance"]), (normalize, ["hebb"]), (meanRate, ["covariance"]),
    (thresholdTau, ["bcm"]),
  ]

  var rule: String
  var input: String
  var format: SampleReader.Format
  var formatName: String
  var outputs: Int
  var passes: Int
  var eta: Double
  var decay: Double
  var normalizes: Bool
  var meanRate: Double
  var thresholdTau: Double
  var seed: UInt64
  var csv: SampleReader.CSVOptions
  var dimension: Int?
  var saveWeights: String?
  /// What to change after a diverged run (``LearnCommand/advice(_:decayOrNormalize:)``).
  var advice: String

  init(_ o: ParsedOptions) throws(CLIError) {
    _ = try o.required(Self.rule)
    rule = try o.choice(Self.rule, ["hebb", "covariance", "instar", "bcm"], default: "")
    for (option, rules) in Self.ruleOptions where o.has(option) && !rules.containsBytes(rule) {
      throw .usage("\(option.name) does not apply to --rule \(rule)")
    }
    input = o.string(OptionSpec.samplesFile, default: "-")
    formatName = try o.choice(
      OptionSpec.samplesFormat, ["csv", "f32"],
      default: SampleReader.Format.guess(input) == .f32 ? "f32" : "csv")
    format = formatName.isBytes("f32") ? .f32 : .csv
    outputs = try o.int(Self.outputs, default: 1, min: 1)
    passes = try o.int(Self.passes, default: 1, min: 1)
    if passes > 1 && input.isBytes("-") { throw .usage("--passes: stdin can be read only once") }
    eta = try o.double(Self.eta, default: rule.isBytes("instar") ? 0.05 : 0.001)
    if !(eta > 0 && eta.isFinite) { throw .usage("--eta: must be a finite number > 0") }
    decay = try o.double(Self.decay, default: 0)
    if !(decay >= 0 && decay < 1) { throw .usage("--decay: must be in [0, 1)") }
    meanRate = try o.double(Self.meanRate, default: 0.01)
    if !(meanRate > 0 && meanRate <= 1) { throw .usage("--mean-rate: must be in (0, 1]") }
    thresholdTau = try o.double(Self.thresholdTau, default: 10)
    if !(thresholdTau >= 1 && thresholdTau.isFinite) {
      throw .usage("--threshold-tau: must be >= 1")
    }
    seed = UInt64(try o.int(Self.seed, default: 1, min: 0))
    normalizes = o.has(Self.normalize)
    csv = try SampleReader.CSVOptions(o)
    dimension = try o.int(OptionSpec.samplesDimension)
    saveWeights = o.string(Self.saveWeights)
    advice = LearnCommand.advice(rule, decayOrNormalize: o.has(Self.decay) || normalizes)
  }
}
