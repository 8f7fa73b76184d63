import Hebbian

/// `hebbian learn`: streams samples (CSV or f32, a file or stdin) through one of the rate
/// rules (plain Hebb, covariance, instar, BCM) and reports what each unit learned: its weight
/// norm, its alignment with the top eigenvector of the stream's second moment (Hebb) or
/// covariance (the others), and for BCM its selectivity. Weights can be saved as K x D f32.
enum LearnCommand {
  static let command = Command(
    name: "learn",
    summary: "Stream samples through a rate rule (Hebb, covariance, instar, BCM); report and "
      + "save the weights.",
    options: [.value("--rule", "R", "hebb|covariance|instar|bcm (required)")] + OptionSpec.samples
      + OptionSpec.csvLayout + [
        .value("--outputs", "K", "units (default 1)").within(1...100_000),
        .value("--eta", "X", "learning rate (default 0.001; instar 0.05)").within(1e-12...10),
        .value("--decay", "X", "hebb, covariance: weight decay per sample (default 0)").within(
          0...1),
        .flag("--normalize", "hebb: scale every row to unit norm after each step"),
        .value("--mean-rate", "X", "covariance: rate of the running means (default 0.01)").within(
          0...1),
        .value("--threshold-tau", "N", "bcm: samples the sliding threshold averages (default 10)")
          .within(1...1e9),
        OptionSpec.passes.within(1...1_000_000),
        .value("--seed", "S", "seed of the initial weights (default 1)").within(0...2_147_483_647),
        .value("--save-weights", "OUT.f32", "write K x D float32 weights, row-major").output(),
      ],
    run: { (o: ParsedOptions) throws(CLIError) in try run(o) }
  )

  /// Options that only some rules read, in table order: of several options that do not apply,
  /// the first is named, the same on every run.
  static let ruleOptions: [(option: String, rules: [String])] = [
    ("--decay", ["hebb", "covariance"]), ("--normalize", ["hebb"]),
    ("--mean-rate", ["covariance"]), ("--threshold-tau", ["bcm"]),
  ]

  /// The second-moment diagnostics are d×d: beyond this the eigenvector is left out.
  static let maxDiagnosticDimension = 1024

  static func run(_ o: ParsedOptions) throws(CLIError) {
    _ = try o.required("--rule")
    let rule = try o.choice("--rule", ["hebb", "covariance", "instar", "bcm"], default: "")
    for (name, rules) in ruleOptions where o.has(name) && !rules.contains(rule) {
      throw .usage("\(name) does not apply to --rule \(rule)")
    }
    let input = o.string("--input", default: "-")
    let formatName = try o.choice(
      "--format", ["csv", "f32"], default: SampleReader.Format.guess(input) == .f32 ? "f32" : "csv")
    let format: SampleReader.Format = formatName == "f32" ? .f32 : .csv
    let k = try o.int("--outputs", default: 1, min: 1)
    let passes = try o.int("--passes", default: 1, min: 1)
    if passes > 1 && input == "-" { throw .usage("--passes: stdin can be read only once") }
    let eta = try o.double("--eta", default: rule == "instar" ? 0.05 : 0.001)
    if !(eta > 0 && eta.isFinite) { throw .usage("--eta: must be a finite number > 0") }
    let decay = try o.double("--decay", default: 0)
    if !(decay >= 0 && decay < 1) { throw .usage("--decay: must be in [0, 1)") }
    let meanRate = try o.double("--mean-rate", default: 0.01)
    if !(meanRate > 0 && meanRate <= 1) { throw .usage("--mean-rate: must be in (0, 1]") }
    let tau = try o.double("--threshold-tau", default: 10)
    if !(tau >= 1 && tau.isFinite) { throw .usage("--threshold-tau: must be >= 1") }
    let seed = UInt64(try o.int("--seed", default: 1, min: 0))

    let csv = try SampleReader.CSVOptions(o)
    var reader = try SampleReader(path: input, format: format, dimension: try o.int("--dim"), csv: csv)
    let d = try reader.prime()
    if Int64(k) * Int64(d) > 1 << 26 {
      throw .usage("--outputs x dimension: at most \(1 << 26) weights")
    }
    // The work of a file is bounded by its size: a sample takes 4·d bytes of f32, at least
    // 2·d of CSV (a digit and a separator per value). A stream from stdin is read once, live.
    var budget = WorkBudget("learn")
    if input != "-", let bytes = InputFile.size(of: input) {
      let samples = bytes / Int64(format == .f32 ? 4 * d : 2 * d) + 1
      budget.work([Int64(passes), samples, Int64(k), Int64(d), 4], ["--passes", "--outputs"])
    }
    budget.memory(
      [[3, Int64(k), Int64(d)], [Int64(d <= maxDiagnosticDimension ? d : 0), Int64(d), 2]],
      ["--outputs"])
    try budget.check()
    var stats = Moments(dimension: d, keep: d <= maxDiagnosticDimension)
    var x = [Float](repeating: 0, count: d)
    var weights: [Float] = []
    var norms: [Float] = []
    var extra: [String] = []
    // Reads the next sample into x, starting the next pass at the end of the file; stats
    // count the first pass only.
    var pass = 0
    func next() throws(CLIError) -> Bool {
      while true {
        let got = try x.withUnsafeMutableBufferPointer { (b) throws(CLIError) -> Bool in
          try reader.next(into: b.baseAddress!)
        }
        if got {
          if pass == 0 { stats.add(x) }
          return true
        }
        pass += 1
        if pass >= passes { return false }
        reader = try SampleReader(path: input, format: format, dimension: d, csv: csv)
      }
    }
    let name = reader.displayName
    func h<T: ~Copyable>(_ body: () throws(HebbianError) -> T) throws(CLIError) -> T {
      do throws(HebbianError) { return try body() } catch {
        if case .diverged = error { throw .data(error.message + advice(rule, o)) }
        throw .data("\(name): \(error.message)")
      }
    }
    do {
      switch rule {
      case "hebb":
        var l = try h { () throws(HebbianError) in
          try HebbianLearner(
            inputs: d, outputs: k, learningRate: Float(eta), decay: Float(decay),
            normalizesRows: o.has("--normalize"), seed: seed)
        }
        while try next() { try h { () throws(HebbianError) in try l.update(x.span) } }
        for i in 0..<k { weights += l.row(i) }
      case "covariance":
        var l = try h { () throws(HebbianError) in
          try CovarianceLearner(
            inputs: d, outputs: k, learningRate: Float(eta), meanRate: Float(meanRate),
            decay: Float(decay), seed: seed)
        }
        while try next() { try h { () throws(HebbianError) in try l.update(x.span) } }
        for i in 0..<k { weights += l.row(i) }
      case "instar":
        var l = try h { () throws(HebbianError) in
          try InstarLearner(inputs: d, outputs: k, learningRate: Float(eta), seed: seed)
        }
        var wins = [Int](repeating: 0, count: k)
        while try next() {
          wins[try h { () throws(HebbianError) in try l.updateWinnerTakeAll(x.span) }] += 1
        }
        for i in 0..<k { weights += l.row(i) }
        extra.append("wins per unit: " + wins.map { String($0) }.joined(separator: " "))
      default:
        var l = try h { () throws(HebbianError) in
          try BCMLearner(
            inputs: d, outputs: k, learningRate: Float(eta), thresholdTimeConstant: Float(tau),
            seed: seed)
        }
        // Selectivity (Bienenstock, Cooper & Munro 1982): 1 − mean response / max response,
        // over the samples of the last pass, measured before each update.
        var sum = [Double](repeating: 0, count: k)
        var top = [Float](repeating: 0, count: k)
        var seen = 0
        while try next() {
          if pass == passes - 1 {
            for i in 0..<k {
              let r = try h { () throws(HebbianError) in try l.response(x.span, unit: i) }
              sum[i] += Double(r)
              top[i] = Swift.max(top[i], r)
            }
            seen += 1
          }
          try h { () throws(HebbianError) in try l.update(x.span) }
        }
        for i in 0..<k { weights += l.row(i) }
        var line = "selectivity 1 - mean/max response (last pass):"
        for i in 0..<k {
          let s = top[i] > 0 ? 1 - sum[i] / Double(Swift.max(seen, 1)) / Double(top[i]) : 0
          line += " " + Fmt.fixed(s, 3)
        }
        extra.append(line)
        var thresholds = "sliding threshold theta:"
        for i in 0..<k { thresholds += " " + Fmt.sci(l.threshold(i), 3) }
        extra.append(thresholds)
      }
    }
    for i in 0..<k {
      var s: Double = 0
      for j in 0..<d { s += Double(weights[i * d + j]) * Double(weights[i * d + j]) }
      norms.append(Float(s.squareRoot()))
    }
    // The learners refuse a diverging step; this is the last line of that contract: nothing
    // non-finite is printed or saved with exit status 0.
    for v in weights + norms where !v.isFinite {
      throw .data("learn: the weights are not finite" + advice(rule, o))
    }
    var out = "rule                  \(rule)\n"
    out += "input                 \(reader.displayName) (\(formatName), \(d) values per sample)\n"
    out += "samples               \(stats.count)" + (passes > 1 ? " x \(passes) passes" : "") + "\n"
    out += "weight norms          " + norms.map { Fmt.sci($0, 3) }.joined(separator: " ") + "\n"
    if let e = stats.topEigenvector(centred: rule != "hebb") {
      var line =
        "|cos| with top eigenvector of the "
        + (rule == "hebb" ? "second moment:" : "covariance:")
      for i in 0..<k {
        var dot = 0.0
        for j in 0..<d { dot += Double(weights[i * d + j]) * e[j] }
        line += " " + Fmt.fixed(norms[i] > 0 ? Swift.abs(dot) / Double(norms[i]) : 0, 4)
      }
      out += line + "\n"
    }
    for line in extra { out += line + "\n" }
    if let path = o.string("--save-weights") {
      if path == input { throw .usage("--save-weights: may not name the input \(path)") }
      var file = try OutputFile(
        target: try o.outputs.target(path, option: "--save-weights"), session: o.outputs)
      try weights.withUnsafeBufferPointer { (b) throws(CLIError) in try file.write(floats: b) }
      try file.close()
      out += "weights written       \(path) (\(k) x \(d) float32)\n"
    }
    Console.out(out)
  }

  /// What to change after a diverged run, by rule.
  static func advice(_ rule: String, _ o: ParsedOptions) -> String {
    switch rule {
    case "hebb" where !o.has("--decay") && !o.has("--normalize"):
      return
        "; plain Hebb grows without bound by design: add --decay (e.g. 0.01) or --normalize, use --rule instar, or hebbian pca --rule oja"
    case "hebb", "covariance":
      return
        "; raise --decay or lower --eta (the weights stop growing once --decay >= --eta x the input's largest eigenvalue)"
    case "bcm":
      return "; lower --eta or --threshold-tau (the threshold must track faster than the weights)"
    default: return "; lower --eta"
    }
  }

  /// Running mean and second moment (Double) of the first pass, for the eigenvector check.
  struct Moments {
    let dimension: Int
    let keep: Bool
    var count = 0
    var sum: [Double]
    var second: [Double]

    init(dimension d: Int, keep: Bool) {
      dimension = d
      self.keep = keep
      sum = [Double](repeating: 0, count: keep ? d : 0)
      second = [Double](repeating: 0, count: keep ? d * d : 0)
    }

    mutating func add(_ x: [Float]) {
      count += 1
      guard keep else { return }
      let d = dimension
      for i in 0..<d {
        let xi = Double(x[i])
        sum[i] += xi
        for j in i..<d { second[i * d + j] += xi * Double(x[j]) }
      }
    }

    /// The leading eigenvector of E[x xᵀ] or of Cov(x).
    func topEigenvector(centred: Bool) -> [Double]? {
      guard keep, count > 1 else { return nil }
      let d = dimension
      let n = Double(count)
      var m = [Double](repeating: 0, count: d * d)
      for i in 0..<d {
        for j in i..<d {
          var v = second[i * d + j] / n
          if centred { v -= sum[i] / n * sum[j] / n }
          m[i * d + j] = v
        }
      }
      guard let eig = try? SymmetricEigen(matrix: m, size: d) else { return nil }
      return Array(eig.vectors[0..<d])
    }
  }
}
