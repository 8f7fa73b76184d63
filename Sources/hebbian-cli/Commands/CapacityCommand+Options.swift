import Hebbian

/// The options of `hebbian capacity`, each declared once, and the sweep they describe.
struct CapacityOptions {
  static let model = OptionSpec.value(
    "--model", "M",
    "hopfield | storkey | dense | ei | e-only | covariance | cov-activity; repeat or comma-separate"
  )
  static let dim = OptionSpec.value("--dim", "N", "neurons (excitatory neurons for ei / e-only)")
    .within(2...1_000_000)
  static let noBaseline = OptionSpec.flag(
    "--no-baseline",
    "ei: do not add the signed covariance networks (covariance, cov-activity) beside it")
  static let from = OptionSpec.value(
    "--from", "A", "smallest load P/N (default per model: 0.02, ei 0.05, dense 0.5)"
  ).within(1e-6...1e6)
  static let to = OptionSpec.value(
    "--to", "B", "largest load P/N (\(CapacityCommand.perModel { $0.to }))"
  ).within(1e-6...1e6)
  static let step = OptionSpec.value(
    "--step", "S", "load increment (\(CapacityCommand.perModel { $0.step }))"
  ).within(1e-6...1e6)
  static let trials = OptionSpec.value(
    "--trials", "T", "random pattern sequences per model (default 3)"
  ).within(1...1_000_000)
  static let probes = OptionSpec.value(
    "--probes", "K", "stored patterns probed per load and sequence (default 20)"
  ).within(1...1_000_000)
  static let noise = OptionSpec.value(
    "--noise", "F", "fraction of cue entries flipped for the cued runs (default 0.1)"
  ).within(0...0.5)
  static let degree = OptionSpec.value(
    "--degree", "n", "dense: F(x) = x^n (default 3); 0 for F = exp"
  ).within(0...64)
  static let codingLevel = OptionSpec.value(
    "--coding-level", "f",
    "ei / e-only / covariance / cov-activity: fraction of active entries per pattern (default 0.1)"
  ).within(0...1)
  static let inhibitory = OptionSpec.value(
    "--inhibitory", "K", "ei: inhibitory neurons (default N/4)"
  ).within(1...16_777_216)
  static let search = OptionSpec.value(
    "--search", "K",
    "ei / e-only / covariance / cov-activity: coefficient sets the search evaluates (default 30; 1 = the start only)"
  ).within(1...1_000_000)
  static let sizes = OptionSpec.value(
    "--sizes", "N1,N2,...", "also measure alpha_c at these N and extrapolate to N -> inf")
  static let seed = OptionSpec.value(
    "--seed", "S", "seed of patterns, cues and update order (default 1)"
  ).within(0...2_147_483_647)
  static let plot = OptionSpec.value(
    "--plot", "FILE.svg", "draw the retrieved (m >= 0.9) and exact-recall curves"
  ).output()

  /// The command's table, in the order its help lists it.
  static let table: [OptionSpec] = [
    OptionSpec.quiet, model, dim, noBaseline, from, to, step, trials, probes, noise, degree,
    codingLevel, inhibitory, search, sizes, seed, plot,
  ]

  /// The models swept, the baselines --model ei adds included, in the order given.
  var names: [String]
  var n: Int
  var from: Double?
  var to: Double?
  var step: Double?
  var settings: CapacityCommand.Settings
  var evaluations: Int
  var sizes: [Int]
  var plot: String?
  var quiet: Bool

  init(_ o: ParsedOptions) throws(CLIError) {
    names = try Self.models(o)
    n = try o.requiredInt(Self.dim, min: 2)
    from = try o.double(Self.from)
    to = try o.double(Self.to)
    step = try o.double(Self.step)
    if let from, !(from > 0) { throw .usage("--from: must be > 0") }
    if let step, !(step > 0) { throw .usage("--step: must be > 0") }
    if let to, !(to > 0) { throw .usage("--to: must be > 0") }
    if let from, let to, !(to >= from) { throw .usage("--to: must be >= --from") }
    let trials = try o.int(Self.trials, default: 3, min: 1)
    let probes = try o.int(Self.probes, default: 20, min: 1)
    let noise = try o.double(Self.noise, default: 0.1)
    if !(noise >= 0 && noise <= 0.5) { throw .usage("--noise: must be in [0, 0.5]") }
    try Self.checkApplies(o, names)
    let degree = try o.int(Self.degree, default: 3, min: 0)
    let f = try o.double(Self.codingLevel, default: 0.1)
    if !(f > 0 && f < 1) { throw .usage("--coding-level: must be in (0, 1)") }
    let inhibitory = try o.int(Self.inhibitory)
    if let k = inhibitory, k < 1 { throw .usage("--inhibitory: must be >= 1, got \(k)") }
    evaluations = try o.int(Self.search, default: 30, min: 1)
    let seed = UInt64(try o.int(Self.seed, default: 1, min: 0))
    sizes = try Self.sizes(o)
    settings = CapacityCommand.Settings(
      trials: trials, probes: probes, noise: noise, degree: degree, codingLevel: f,
      inhibitory: inhibitory, seed: seed)
    plot = o.string(Self.plot)
    quiet = o.has(OptionSpec.quiet)
  }

  /// Every --model value (repeated or comma-separated), with the E/I network's baselines.
  static func models(_ o: ParsedOptions) throws(CLIError) -> [String] {
    var names: [String] = []
    for value in o.strings(model) {
      for part in value.utf8.split(separator: UInt8(ascii: ",")) {
        names.append(String(decoding: part, as: UTF8.self))
      }
    }
    if names.isEmpty { names = ["hopfield"] }
    for name in names where !CapacityCommand.models.containsBytes(name) {
      throw .usage(
        "--model: expected one of hopfield|storkey|dense|ei|e-only|covariance|cov-activity, got '\(name)'"
      )
    }
    if o.has(noBaseline) && !names.containsBytes("ei") {
      throw .usage("--no-baseline: applies only to --model ei")
    }
    // The E/I network's claim is only as good as its control: the signed covariance network
    // it emulates, tuned with the same budget on the same patterns.
    if names.containsBytes("ei") && !o.has(noBaseline) {
      for b in ["covariance", "cov-activity"] where !names.containsBytes(b) { names.append(b) }
    }
    return names
  }

  /// Model-specific options are refused for a sweep without their model.
  static func checkApplies(_ o: ParsedOptions, _ names: [String]) throws(CLIError) {
    var sparse = false
    for name in names where CapacityCommand.sparseModels.containsBytes(name) { sparse = true }
    if o.has(degree) && !names.containsBytes("dense") {
      throw .usage("--degree: applies only to --model dense")
    }
    for option in [codingLevel, search] where o.has(option) && !sparse {
      throw .usage("\(option.name): applies only to --model ei, e-only, covariance or cov-activity")
    }
    if o.has(inhibitory) && !names.containsBytes("ei") {
      throw .usage("--inhibitory: applies only to --model ei")
    }
  }

  /// The --sizes list: at least two sizes to extrapolate from, each in [2, 10^6].
  static func sizes(_ o: ParsedOptions) throws(CLIError) -> [Int] {
    var sizes: [Int] = []
    guard let list = o.string(Self.sizes) else { return sizes }
    for part in list.utf8.split(separator: UInt8(ascii: ",")) {
      guard let v = Int(String(decoding: part, as: UTF8.self)), v >= 2 else {
        throw .usage("--sizes: expected comma-separated integers >= 2, got '\(list)'")
      }
      sizes.append(v)
    }
    if sizes.count < 2 { throw .usage("--sizes: need at least two sizes to extrapolate") }
    if sizes.count > 100 { throw .usage("--sizes: at most 100 sizes, got \(sizes.count)") }
    for s in sizes where s > 1_000_000 {
      throw .usage("--sizes: each size must be in [2, 1000000], got \(s)")
    }
    return sizes
  }
}
