import Hebbian

/// The options of `hebbian recall`, each declared once, and the run they describe: the model
/// and its parameters, checked against each other, and the pattern and cue files, read and
/// checked in the same pass so that of several faults the same one is named on every run.
struct RecallOptions {
  static let model = OptionSpec.value(
    "--model", "M", "hopfield | dense | modern | two-layer | ei | normative (default hopfield)")
  static let patterns = OptionSpec.value(
    "--patterns", "P.f32", "patterns to store: P x N little-endian float32, row-major"
  ).input()
  static let dim = OptionSpec.value("--dim", "N", "entries per pattern").within(1...16_777_216)
  static let cues = OptionSpec.value(
    "--cues", "C.f32", "cues: K x N float32 (±1 for hopfield and dense, 0/1 for ei)"
  ).input()
  static let output = OptionSpec.value("--output", "R.f32", "recalled states, K x N float32")
    .output()
  static let rule = OptionSpec.value(
    "--rule", "R", "hopfield storage: hebbian | storkey (default hebbian)")
  static let beta = OptionSpec.value(
    "--beta", "B",
    "inverse temperature of the modern model and of two-layer's softmax (default 8)"
  ).within(0...10_000)
  static let degree = OptionSpec.value(
    "--degree", "n",
    "dense: F(x) = x^n (default 3; 0 for F = exp); two-layer dense: L_h = (h)+^n/n (default 3)"
  ).within(0...64)
  static let lagrangian = OptionSpec.value(
    "--lagrangian", "L",
    "two-layer: modern (L_v = v^2/2, f = softmax(beta h)) | dense (g = tanh(gain v), f = (h)+^(n-1)) (default modern)"
  )
  static let tauFeature = OptionSpec.value(
    "--tau-feature", "T", "two-layer: feature-neuron time constant (default 1)"
  ).within(1e-6...1e6)
  static let tauMemory = OptionSpec.value(
    "--tau-memory", "T", "two-layer: memory-neuron time constant (default 0.1)"
  ).within(1e-6...1e6)
  static let dt = OptionSpec.value(
    "--dt", "D", "two-layer / normative: integration step (default 0.1)"
  ).within(1e-6...10)
  static let rectified = OptionSpec.flag("--rectified", "dense model: F(x) = max(x, 0)^n")
  static let sync = OptionSpec.flag("--sync", "update all neurons at once")
  static let async = OptionSpec.flag(
    "--async", "update one neuron at a time in seeded random order (default)")
  static let steps = OptionSpec.value(
    "--steps", "S",
    "step limit (sweeps, or ODE steps: twice this for normative, 50 times for two-layer; default 100)"
  ).within(1...1_000_000)
  static let seed = OptionSpec.value("--seed", "S", "seed of the asynchronous order (default 1)")
    .within(0...2_147_483_647)
  static let inhibitory = OptionSpec.value(
    "--inhibitory", "K",
    "ei / normative: inhibitory neurons (default N/4; ei adds them, normative counts them in N)"
  ).within(0...16_777_216)
  static let gain = OptionSpec.value(
    "--gain", "g",
    "normative: saturating gain of clamp(g u, -1, 1) (default 2; 0 for linear); two-layer dense: tanh gain (default 1)"
  ).within(0...1000)
  static let dale = OptionSpec.flag(
    "--dale", "normative: keep W >= 0, the sign carried by D (Dale's law; the default)")
  static let noDale = OptionSpec.flag(
    "--no-dale", "normative: unconstrained W (the E/I split then has no effect)")
  static let learning = OptionSpec.value(
    "--learning", "R",
    "normative: gradient (exact, the default) | extended (the seed's section 8 rule)")
  static let iterations = OptionSpec.value(
    "--iterations", "K",
    "normative: learning steps per stored pattern (default 2000 for gradient, 20 for extended)"
  ).within(0...10_000_000)
  static let saveModel = OptionSpec.value(
    "--save-model", "M", "hopfield: write the memory (model-file format, atomically)"
  ).output()

  /// The command's table, in the order its help lists it.
  static let table: [OptionSpec] = [
    model, patterns, dim, cues, output, rule, beta, degree, lagrangian, tauFeature, tauMemory,
    dt, rectified, sync, async, steps, seed, inhibitory, gain, dale, noDale, learning,
    iterations, saveModel,
  ]

  static let models = ["hopfield", "dense", "modern", "two-layer", "ei", "normative"]

  /// The models each model-specific option applies to; any other use is a usage error
  /// naming the option.
  static let applies: [(option: OptionSpec, models: [String])] = [
    (rule, ["hopfield"]),
    (saveModel, ["hopfield"]),
    (sync, ["hopfield", "dense"]),
    (async, ["hopfield", "dense"]),
    (seed, ["hopfield", "dense", "ei"]),
    (beta, ["modern", "two-layer"]),
    (degree, ["dense", "two-layer"]),
    (rectified, ["dense"]),
    (lagrangian, ["two-layer"]),
    (tauFeature, ["two-layer"]),
    (tauMemory, ["two-layer"]),
    (dt, ["two-layer", "normative"]),
    (gain, ["two-layer", "normative"]),
    (inhibitory, ["ei", "normative"]),
    (dale, ["normative"]),
    (noDale, ["normative"]),
    (learning, ["normative"]),
    (iterations, ["normative"]),
  ]

  var model: String
  /// N: neurons (entries per pattern).
  var n: Int
  var patternsPath: String
  var cuesPath: String
  var outputPath: String
  var saveModel: String?
  var update: UpdateOrder
  var steps: Int
  var seed: UInt64
  var patterns: RecallCommand.Rows
  var cues: RecallCommand.Rows
  var rule: String
  var beta: Double
  var degree: Int
  var interaction: DenseMemory.Interaction
  var inhibitory: Int
  var gain: Double
  var lagrangian: String
  var tauFeature: Double
  var tauMemory: Double
  var dt: Double
  var learning: String
  var iterations: Int
  var dale: Bool

  init(_ o: ParsedOptions) throws(CLIError) {
    model = try o.choice(Self.model, Self.models, default: "hopfield")
    for (option, valid) in Self.applies where o.has(option) && !valid.containsBytes(model) {
      var list = ""
      for (i, m) in valid.enumerated() { list += (i == 0 ? "" : ", ") + m }
      throw .usage("\(option.name): does not apply to --model \(model) (only \(list))")
    }
    if o.has(Self.dale) && o.has(Self.noDale) {
      throw .usage("--dale and --no-dale exclude each other")
    }
    dale = !o.has(Self.noDale)
    n = try o.requiredInt(Self.dim, min: 1)
    if n > 1 << 24 { throw .usage("--dim: at most \(1 << 24) neurons, got \(n)") }
    patternsPath = try o.required(Self.patterns)
    cuesPath = try o.required(Self.cues)
    outputPath = try o.required(Self.output)
    saveModel = o.string(Self.saveModel)
    if o.has(Self.sync) && o.has(Self.async) {
      throw .usage("--sync and --async exclude each other")
    }
    update = o.has(Self.sync) ? .synchronous : .asynchronous
    steps = try o.int(Self.steps, default: 100, min: 1)
    seed = UInt64(try o.int(Self.seed, default: 1, min: 0))
    patterns = try RecallCommand.readRows(patternsPath, dimension: n)
    cues = try RecallCommand.readRows(cuesPath, dimension: n)
    try Self.checkLevels(model: model, n: n, [(patternsPath, patterns), (cuesPath, cues)])
    rule = try o.choice(Self.rule, ["hebbian", "storkey"], default: "hebbian")
    beta = try o.double(Self.beta, default: 8)
    // β multiplies overlaps of up to N: past 1e4 the softmax is a hard max already, and
    // float32 exponents would overflow long before 1e300.
    if !(beta > 0 && beta <= 1e4) { throw .usage("--beta: must be in (0, 10000], got \(beta)") }
    degree = try o.int(Self.degree, default: 3, min: 0)
    if degree > DenseMemory.maxDegree {
      throw .usage("--degree: at most \(DenseMemory.maxDegree), got \(degree)")
    }
    interaction =
      degree == 0
      ? .exponential
      : o.has(Self.rectified) ? .rectifiedPolynomial(degree: degree) : .polynomial(degree: degree)
    inhibitory = try o.int(Self.inhibitory, default: n / 4, min: 0)
    if inhibitory > 1 << 24 { throw .usage("--inhibitory: at most \(1 << 24), got \(inhibitory)") }
    gain = try o.double(Self.gain, default: model.isBytes("two-layer") ? 1 : 2)
    if !(gain >= 0) || (model.isBytes("two-layer") && !(gain > 0)) {
      throw .usage("--gain: must be \(model.isBytes("two-layer") ? "> 0" : ">= 0")")
    }
    lagrangian = try o.choice(Self.lagrangian, ["modern", "dense"], default: "modern")
    tauFeature = try o.double(Self.tauFeature, default: 1)
    tauMemory = try o.double(Self.tauMemory, default: 0.1)
    dt = try o.double(Self.dt, default: 0.1)
    for (option, v) in [(Self.tauFeature, tauFeature), (Self.tauMemory, tauMemory), (Self.dt, dt)]
    where !(v > 0) {
      throw .usage("\(option.name): must be > 0")
    }
    try Self.checkTwoLayer(o, model: model, lagrangian: lagrangian, degree: degree)
    learning = try o.choice(Self.learning, ["gradient", "extended"], default: "gradient")
    iterations = try o.int(
      Self.iterations, default: learning.isBytes("extended") ? 20 : 2000, min: 0)
    if model.isBytes("normative") && inhibitory >= n {
      throw .usage("--inhibitory: must be < --dim")
    }
  }

  /// Binary models read states, not intensities: a 0.5 in a cue is a mistake, not a state.
  static func checkLevels(
    model: String, n: Int, _ files: [(path: String, rows: RecallCommand.Rows)]
  ) throws(CLIError) {
    let levels: (Float, Float)? =
      model.isBytes("hopfield") || model.isBytes("dense")
      ? (-1, 1) : model.isBytes("ei") ? (0, 1) : nil
    guard let (lo, hi) = levels else { return }
    for (path, rows) in files {
      for k in 0..<rows.values.count where rows.values[k] != lo && rows.values[k] != hi {
        throw .data(
          "\(path): row \(k / n + 1), column \(k % n + 1): \(Fmt.shortest(rows.values[k])) is not \(lo == 0 ? "0 or 1" : "-1 or +1") (--model \(model) stores binary states)"
        )
      }
    }
  }

  /// The two-layer model reads --degree and --gain with a dense Lagrangian, --beta with the
  /// modern one.
  static func checkTwoLayer(_ o: ParsedOptions, model: String, lagrangian: String, degree: Int)
    throws(CLIError)
  {
    guard model.isBytes("two-layer") else { return }
    if lagrangian.isBytes("modern") && o.has(Self.degree) {
      throw .usage("--degree: applies to --lagrangian dense, not modern")
    }
    if lagrangian.isBytes("dense") && o.has(Self.beta) {
      throw .usage("--beta: applies to --lagrangian modern, not dense")
    }
    if lagrangian.isBytes("modern") && o.has(Self.gain) {
      throw .usage("--gain: applies to --lagrangian dense, not modern")
    }
    if degree < 2 { throw .usage("--degree: two-layer needs n >= 2") }
  }
}
