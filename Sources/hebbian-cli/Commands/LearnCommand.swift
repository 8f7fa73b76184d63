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
    options: LearnOptions.table,
    run: { (o: ParsedOptions) throws(CLIError) in try run(o) }
  )

  /// The second-moment diagnostics are d×d: beyond this the eigenvector is left out.
  static let maxDiagnosticDimension = 1024

  static func run(_ o: ParsedOptions) throws(CLIError) {
    let options = try LearnOptions(o)
    var reader = try SampleReader(
      path: options.input, format: options.format, dimension: options.dimension,
      csv: options.csv)
    let d = try reader.prime()
    try checkBudget(options, d: d)
    var samples = Samples(options: options, reader: reader, d: d)
    let (weights, extra) = try learn(options, &samples)
    let k = options.outputs
    var norms: [Float] = []
    for i in 0..<k {
      var s: Double = 0
      for j in 0..<d { s += Double(weights[i * d + j]) * Double(weights[i * d + j]) }
      norms.append(Float(s.squareRoot()))
    }
    // The learners refuse a diverging step; this is the last line of that contract: nothing
    // non-finite is printed or saved with exit status 0.
    for v in weights + norms where !v.isFinite {
      throw .data("learn: the weights are not finite" + options.advice)
    }
    var out = report(options, samples, weights: weights, norms: norms)
    for line in extra { out += line + "\n" }
    if let path = options.saveWeights {
      if path.isBytes(options.input) { throw .usage("--save-weights: may not name the input \(path)") }
      var file = try OutputFile(
        target: try o.outputs.target(path, option: LearnOptions.saveWeights.name),
        session: o.outputs)
      try weights.withUnsafeBufferPointer { (b) throws(CLIError) in try file.write(floats: b) }
      try file.close()
      out += "weights written       \(path) (\(k) x \(d) float32)\n"
    }
    Console.out(out)
  }

  /// The work of a file is bounded by its size: a sample takes 4·d bytes of f32, at least
  /// 2·d of CSV (a digit and a separator per value). A stream from stdin is read once, live.
  static func checkBudget(_ options: LearnOptions, d: Int) throws(CLIError) {
    let k = options.outputs
    if Int64(k) * Int64(d) > 1 << 26 {
      throw .usage("--outputs x dimension: at most \(1 << 26) weights")
    }
    var budget = WorkBudget("learn")
    if !options.input.isBytes("-"), let bytes = InputFile.size(of: options.input) {
      let samples = bytes / Int64(options.format == .f32 ? 4 * d : 2 * d) + 1
      budget.work(
        [Int64(options.passes), samples, Int64(k), Int64(d), 4],
        [LearnOptions.passes, LearnOptions.outputs])
    }
    budget.memory(
      [[3, Int64(k), Int64(d)], [Int64(d <= maxDiagnosticDimension ? d : 0), Int64(d), 2]],
      [LearnOptions.outputs])
    try budget.check()
  }

  /// The lines of the report before the rule's own: the rule, the input, the weights' norms
  /// and their alignment with the stream's top eigenvector.
  static func report(
    _ options: LearnOptions, _ samples: borrowing Samples, weights: [Float], norms: [Float]
  ) -> String {
    let (rule, d, k) = (options.rule, samples.d, options.outputs)
    var out = "rule                  \(rule)\n"
    out +=
      "input                 \(samples.reader.displayName) (\(options.formatName), \(d) values per sample)\n"
    out +=
      "samples               \(samples.stats.count)"
      + (options.passes > 1 ? " x \(options.passes) passes" : "") + "\n"
    out += "weight norms          " + norms.map { Fmt.sci($0, 3) }.joined(separator: " ") + "\n"
    if let e = samples.stats.topEigenvector(centred: !rule.isBytes("hebb")) {
      var line =
        "|cos| with top eigenvector of the "
        + (rule.isBytes("hebb") ? "second moment:" : "covariance:")
      for i in 0..<k {
        var dot = 0.0
        for j in 0..<d { dot += Double(weights[i * d + j]) * e[j] }
        line += " " + Fmt.fixed(norms[i] > 0 ? Swift.abs(dot) / Double(norms[i]) : 0, 4)
      }
      out += line + "\n"
    }
    return out
  }

  /// The input's samples, pass after pass, one at a time in `x`; the moments count the first
  /// pass only.
  struct Samples: ~Copyable {
    let options: LearnOptions
    var reader: SampleReader
    let d: Int
    var stats: Moments
    var x: [Float]
    var pass = 0

    init(options: LearnOptions, reader: consuming SampleReader, d: Int) {
      self.options = options
      self.reader = reader
      self.d = d
      stats = Moments(dimension: d, keep: d <= maxDiagnosticDimension)
      x = [Float](repeating: 0, count: d)
    }

    /// Reads the next sample into `x`, starting the next pass at the end of the file.
    mutating func next() throws(CLIError) -> Bool {
      while true {
        let got = try x.withUnsafeMutableBufferPointer { (b) throws(CLIError) -> Bool in
          try reader.next(into: b.baseAddress!)
        }
        if got {
          if pass == 0 { stats.add(x) }
          return true
        }
        pass += 1
        if pass >= options.passes { return false }
        reader = try SampleReader(
          path: options.input, format: options.format, dimension: d, csv: options.csv)
      }
    }

    /// A learner's refusal as the command states it: a divergence with advice, anything else
    /// naming the input.
    func checked<T: ~Copyable>(_ body: () throws(HebbianError) -> T) throws(CLIError) -> T {
      do throws(HebbianError) { return try body() } catch {
        if case .diverged = error { throw .data(error.message + options.advice) }
        throw .data("\(reader.displayName): \(error.message)")
      }
    }
  }

  /// Streams every sample through the rule's learner; returns its K x D weights and the
  /// rule's own report lines.
  static func learn(_ options: LearnOptions, _ s: inout Samples) throws(CLIError)
    -> (weights: [Float], extra: [String])
  {
    let (d, k, eta, seed) = (s.d, options.outputs, Float(options.eta), options.seed)
    var weights: [Float] = []
    switch options.rule {
    case "hebb":
      var l = try s.checked { () throws(HebbianError) in
        try HebbianLearner(
          inputs: d, outputs: k, learningRate: eta, decay: Float(options.decay),
          normalizesRows: options.normalizes, seed: seed)
      }
      while try s.next() { try s.checked { () throws(HebbianError) in try l.update(s.x.span) } }
      for i in 0..<k { weights += l.row(i) }
    case "covariance":
      var l = try s.checked { () throws(HebbianError) in
        try CovarianceLearner(
          inputs: d, outputs: k, learningRate: eta, meanRate: Float(options.meanRate),
          decay: Float(options.decay), seed: seed)
      }
      while try s.next() { try s.checked { () throws(HebbianError) in try l.update(s.x.span) } }
      for i in 0..<k { weights += l.row(i) }
    case "instar":
      var l = try s.checked { () throws(HebbianError) in
        try InstarLearner(inputs: d, outputs: k, learningRate: eta, seed: seed)
      }
      var wins = [Int](repeating: 0, count: k)
      while try s.next() {
        wins[try s.checked { () throws(HebbianError) in try l.updateWinnerTakeAll(s.x.span) }] += 1
      }
      for i in 0..<k { weights += l.row(i) }
      return (weights, ["wins per unit: " + wins.map { String($0) }.joined(separator: " ")])
    default:
      return try learnBCM(options, &s)
    }
    return (weights, [])
  }

  /// BCM, with the selectivity (Bienenstock, Cooper & Munro 1982) of each unit: 1 − mean
  /// response / max response, over the samples of the last pass, measured before each update.
  static func learnBCM(_ options: LearnOptions, _ s: inout Samples) throws(CLIError)
    -> (weights: [Float], extra: [String])
  {
    let (d, k) = (s.d, options.outputs)
    var l = try s.checked { () throws(HebbianError) in
      try BCMLearner(
        inputs: d, outputs: k, learningRate: Float(options.eta),
        thresholdTimeConstant: Float(options.thresholdTau), seed: options.seed)
    }
    var sum = [Double](repeating: 0, count: k)
    var top = [Float](repeating: 0, count: k)
    var seen = 0
    while try s.next() {
      if s.pass == options.passes - 1 {
        for i in 0..<k {
          let r = try s.checked { () throws(HebbianError) in try l.response(s.x.span, unit: i) }
          sum[i] += Double(r)
          top[i] = Swift.max(top[i], r)
        }
        seen += 1
      }
      try s.checked { () throws(HebbianError) in try l.update(s.x.span) }
    }
    var weights: [Float] = []
    for i in 0..<k { weights += l.row(i) }
    var line = "selectivity 1 - mean/max response (last pass):"
    for i in 0..<k {
      let v = top[i] > 0 ? 1 - sum[i] / Double(Swift.max(seen, 1)) / Double(top[i]) : 0
      line += " " + Fmt.fixed(v, 3)
    }
    var thresholds = "sliding threshold theta:"
    for i in 0..<k { thresholds += " " + Fmt.sci(l.threshold(i), 3) }
    return (weights, [line, thresholds])
  }

  /// What to change after a diverged run, by rule.
  static func advice(_ rule: String, decayOrNormalize: Bool) -> String {
    switch rule {
    case "hebb" where !decayOrNormalize:
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
