import CHebbianSys
import Hebbian

/// A learned PCA model as the deploy commands use it: the orthonormal basis C (K×D, the rows
/// `pca --save-components` writes), the mean μ the model centres with (zeros without
/// centring), and what `export` reports.
struct DeployedModel {
  var rule: OnlinePCA.Rule
  var dimension: Int
  var components: Int
  var basis: [Float]
  var mean: [Float]
  var centering: Bool
  /// Running ⟨y_i²⟩ of the learner's outputs: the variance of each score once the rows have
  /// converged to orthonormal ones.
  var variances: [Float]
  var samples: Int64

  /// A model saved by `pca --save-model` or a `pca` checkpoint; errors name the file.
  static func load(_ path: String) throws(CLIError) -> DeployedModel {
    let file = try PCACommand.loadModel(path)
    do throws(HebbianError) {
      let pca = try OnlinePCA(restoring: file)
      let s = pca.state
      return DeployedModel(
        rule: pca.rule, dimension: pca.dimension, components: pca.componentCount,
        basis: pca.components(orthonormalized: true), mean: s.mean, centering: pca.centering,
        variances: s.outputPower, samples: s.samplesSeen)
    } catch {
      throw .data("\(path): \(error.message)")
    }
  }

  /// y = C (x − μ), and the squared residual ‖(x − μ) − Cᵀy‖² when `residual` is non-nil.
  /// Summed in Double: a score is the same on every ISA.
  func scores(
    _ x: UnsafePointer<Float>, _ y: inout [Float], residual: inout Double?, centred: inout [Double]
  ) {
    let d = dimension
    for j in 0..<d { centred[j] = Double(x[j]) - Double(mean[j]) }
    var norm = 0.0
    for j in 0..<d { norm += centred[j] * centred[j] }
    var explained = 0.0
    for i in 0..<components {
      var s = 0.0
      for j in 0..<d { s += Double(basis[i * d + j]) * centred[j] }
      y[i] = Float(s)
      explained += s * s
    }
    // The rows are orthonormal: ‖r‖² = ‖x − μ‖² − ‖y‖², clamped at 0 against rounding.
    if residual != nil { residual = Swift.max(0, norm - explained) }
  }
}

/// `hebbian apply`: scores a stream with a saved model, learning nothing.
enum ApplyCommand {
  static let command = Command(
    name: "apply",
    summary: "Score samples with a saved PCA model: y = C (x - mean), optionally the residual.",
    options: [
      .savedModel,
      .samplesFile,
      .value("--output", "OUT|-", "scores: .f32 raw, .csv/.txt (or -) CSV").output(),
      .samplesFormat,
      .value("--dim", "D", "values per sample (default: the model's)"),
      .flag("--residual", "append |(x - mean) - C^T y|^2: a novelty score for anomaly detection"),
      .delimiter,
      .value("--columns", "LIST", "1-based feature columns, e.g. 2-7 or 2,4,6-8 (default: all)"),
      .value("--id-column", "N", "copy column N verbatim as the first field of each output row"),
      .flag("--quiet", "no summary on stderr"),
    ],
    run: { (o: ParsedOptions) throws(CLIError) in try run(o) }
  )

  static func run(_ o: ParsedOptions) throws(CLIError) {
    let modelPath = try o.required("--model")
    let outputPath = try o.required("--output")
    let input = o.string("--input", default: "-")
    let raw = try OutputFormat.rows(outputPath, option: "--output")
    let model = try DeployedModel.load(modelPath)
    let d = model.dimension
    if let given = try o.int("--dim"), given != d {
      throw .usage("--dim \(given): the model \(modelPath) has dimension \(d)")
    }
    let formatName = try o.choice(
      "--format", ["csv", "f32"], default: SampleReader.Format.guess(input) == .f32 ? "f32" : "csv")
    let csv = try SampleReader.CSVOptions(
      delimiter: o.string("--delimiter"), columns: o.string("--columns"),
      idColumn: o.string("--id-column"))
    if csv.idColumn != nil && raw {
      throw .usage("--id-column: the id is written to CSV output, not to .f32")
    }
    var reader = try SampleReader(
      path: input, format: formatName == "f32" ? .f32 : .csv, dimension: d, csv: csv)
    if input == "-" && hb_sys_isatty(0) == 1 && !o.has("--quiet") {
      Console.errLine("apply: reading samples from the terminal (one per line; end with Ctrl-D)")
    }
    _ = try reader.prime()
    var out = try OutputFile(
      target: try o.outputs.target(outputPath, option: "--output"), session: o.outputs)
    var x = [Float](repeating: 0, count: d)
    let width = model.components + (o.has("--residual") ? 1 : 0)
    var y = [Float](repeating: 0, count: width)
    var scores = [Float](repeating: 0, count: model.components)
    var centred = [Double](repeating: 0, count: d)
    var residual: Double? = o.has("--residual") ? 0 : nil
    var n: Int64 = 0
    while try x.withUnsafeMutableBufferPointer({ (b) throws(CLIError) -> Bool in
      try reader.next(into: b.baseAddress!)
    }) {
      x.withUnsafeBufferPointer { b in
        model.scores(b.baseAddress!, &scores, residual: &residual, centred: &centred)
      }
      for i in 0..<model.components { y[i] = scores[i] }
      if let r = residual { y[width - 1] = Float(r) }
      try PCACommand.writeRow(
        &out, y[...], raw: raw, id: csv.idColumn == nil ? nil : reader.id, delimiter: reader.delimiter)
      n += 1
    }
    try out.close()
    if !o.has("--quiet") {
      Console.errLine(
        "apply: \(n) samples scored with \(modelPath) (\(model.rule.name), \(model.components) x \(d)\(model.centering ? ", centred" : ""))"
          + (residual != nil ? ", residual in the last column" : ""))
    }
  }
}

/// `hebbian export`: a saved model as JSON, for numpy or any other consumer.
enum ExportCommand {
  static let command = Command(
    name: "export",
    summary: "Write a saved PCA model as JSON: rule, dimension, components, mean, variances.",
    options: [
      .savedModel,
      .value("--output", "OUT.json|-", "the JSON file (- for stdout)").output(),
    ],
    run: { (o: ParsedOptions) throws(CLIError) in try run(o) }
  )

  static func run(_ o: ParsedOptions) throws(CLIError) {
    let modelPath = try o.required("--model")
    let outputPath = try o.required("--output")
    if outputPath != "-" && !outputPath.hasSuffix(".json") {
      throw .usage(
        "--output \(outputPath): export writes JSON; name the file .json (or - for stdout)")
    }
    let m = try DeployedModel.load(modelPath)
    try o.outputs.write(outputPath, Array(json(m).utf8), option: "--output")
  }

  /// Every float in its shortest round-trip form: parsed as float32 it gives the same bits.
  static func json(_ m: DeployedModel) -> String {
    func list(_ v: ArraySlice<Float>) -> String {
      var s = "["
      for (i, x) in v.enumerated() { s += (i == 0 ? "" : ", ") + Fmt.shortest(x) }
      return s + "]"
    }
    var rows = ""
    for i in 0..<m.components {
      rows +=
        (i == 0 ? "" : ",\n    ")
        + list(m.basis[(i * m.dimension)..<((i + 1) * m.dimension)])
    }
    return """
      {
        "format": "hebbian-pca",
        "version": 1,
        "rule": "\(m.rule.name)",
        "ordered": \(m.rule.isOrdered),
        "dimension": \(m.dimension),
        "centering": \(m.centering),
        "samples": \(m.samples),
        "components": [
          \(rows)
        ],
        "mean": \(list(m.mean[...])),
        "variances": \(list(m.variances[...]))
      }

      """
  }
}

/// Output formats follow the file's extension, or the name is refused: a `.png` never gets
/// SVG, a `.csv` never gets float32.
enum OutputFormat {
  /// Rows of numbers: true for raw float32 (`.f32`, `.bin`), false for CSV (`.csv`, `.txt`,
  /// `.tsv`, or `-`).
  static func rows(_ path: String, option: String) throws(CLIError) -> Bool {
    if path == "-" { return false }
    if path.hasSuffix(".f32") || path.hasSuffix(".bin") { return true }
    if path.hasSuffix(".csv") || path.hasSuffix(".txt") || path.hasSuffix(".tsv") { return false }
    if isDevice(path) { return false }
    throw .usage(
      "\(option) \(path): unknown format; name it .csv (text) or .f32 (raw float32)")
  }

  /// A file that must be raw float32: `.f32`, `.bin`, or a name without an extension.
  static func requireF32(_ path: String, option: String) throws(CLIError) {
    if let e = fileExtension(path), e != "f32" && e != "bin", !isDevice(path) {
      throw .usage("\(option) \(path): writes raw float32; name the file .f32")
    }
  }

  /// An SVG plot: `.svg`, or a name without an extension.
  static func requireSVG(_ path: String, option: String) throws(CLIError) {
    if let e = fileExtension(path), e != "svg", !isDevice(path) {
      throw .usage("\(option) \(path): writes an SVG drawing; name the file .svg")
    }
  }

  /// The extension of the last path component ("png" of "out/x.png"), nil without one.
  static func fileExtension(_ path: String) -> String? {
    let name = path.split(separator: "/", omittingEmptySubsequences: false).last ?? ""
    guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return nil }
    return String(name[name.index(after: dot)...])
  }

  /// /dev/null and friends take any format.
  static func isDevice(_ path: String) -> Bool {
    var info = hb_sys_file_info()
    return hb_sys_stat(path, &info) == 0
      && (Int(info.kind) == Int(HB_SYS_KIND_CHAR_DEVICE) || Int(info.kind) == Int(HB_SYS_KIND_FIFO))
  }
}
