import CHebbianSys
import Hebbian

/// A learned PCA model as the deploy commands use it: the library's deployed basis (C, the
/// rows `pca --save-components` writes, and the mean μ the model centres with, zeros without
/// centring), and what `export` reports about it.
struct DeployedModel {
  var rule: OnlinePCA.Rule
  var basis: PCABasis
  var centering: Bool
  /// Running ⟨y_i²⟩ of the learner's outputs, per unit filter length: estimates of the
  /// variance along each component over the last ~1000 samples, in the components' order.
  var varianceEstimates: [Double]
  /// ‖FFᵀ − I‖_F of the learner's filters before orthonormalisation.
  var orthonormality: Double
  /// The order the rule promises, verified on the model (``OnlinePCA/isVerifiedOrdered``).
  var ordered: Bool
  var samples: Int64

  var dimension: Int { basis.dimension }
  var components: Int { basis.componentCount }

  /// A model saved by `pca --save-model` or a `pca` checkpoint; errors name the file.
  static func load(_ path: String) throws(CLIError) -> DeployedModel {
    let file = try PCACommand.loadModel(path)
    do throws(HebbianError) {
      let pca = try OnlinePCA(restoring: file)
      return DeployedModel(
        rule: pca.rule, basis: try pca.basis, centering: pca.centering,
        varianceEstimates: pca.varianceEstimates, orthonormality: pca.orthonormalityError(),
        ordered: pca.isVerifiedOrdered, samples: pca.samplesSeen)
    } catch {
      throw .data("\(path): \(error.message)")
    }
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
      ApplyOptions.output,
      .samplesFormat,
      ApplyOptions.dim,
      ApplyOptions.residual,
      ApplyOptions.skipNonfinite,
    ] + OptionSpec.csvLayout + [.quiet],
    run: { (o: ParsedOptions) throws(CLIError) in try run(o) }
  )

  static func run(_ o: ParsedOptions) throws(CLIError) {
    let modelPath = try o.required(OptionSpec.savedModel)
    let outputPath = o.string(ApplyOptions.output, default: "-")
    let input = o.string(OptionSpec.samplesFile, default: "-")
    let raw = try OutputFormat.rows(outputPath, option: ApplyOptions.output.name)
    let model = try DeployedModel.load(modelPath)
    let d = model.dimension
    if let given = try o.int(ApplyOptions.dim), given != d {
      throw .usage("--dim \(given): the model \(modelPath) has dimension \(d)")
    }
    let formatName = try o.choice(
      OptionSpec.samplesFormat, ["csv", "f32"],
      default: SampleReader.Format.guess(input) == .f32 ? "f32" : "csv")
    let csv = try SampleReader.CSVOptions(o)
    if csv.idColumn != nil && raw {
      throw .usage("--id-column: the id is written to CSV output, not to .f32")
    }
    var reader = try SampleReader(
      path: input, format: formatName.isBytes("f32") ? .f32 : .csv, dimension: d, csv: csv,
      dimensionSource: "the model \(modelPath) has dimension \(d)")
    reader.skipNonFinite = o.has(ApplyOptions.skipNonfinite)
    if input.isBytes("-") && hb_sys_isatty(0) == 1 && !o.has(OptionSpec.quiet) {
      Console.errLine("apply: reading samples from the terminal (one per line; end with Ctrl-D)")
    }
    _ = try reader.prime()
    var out = try OutputFile(
      target: try o.outputs.target(outputPath, option: ApplyOptions.output.name), session: o.outputs
    )
    var x = [Float](repeating: 0, count: d)
    let residual = o.has(ApplyOptions.residual)
    let width = model.components + (residual ? 1 : 0)
    var y = [Float](repeating: 0, count: width)
    var n: Int64 = 0
    while try x.withUnsafeMutableBufferPointer({ (b) throws(CLIError) -> Bool in
      try reader.next(into: b.baseAddress!)
    }) {
      // The library's score: the sample contract of pca (finite, ‖x‖² in range) and a
      // finite result, or an error naming the sample's place in the input.
      do throws(HebbianError) {
        var out = y.mutableSpan
        let r = try model.basis.score(x.span, into: &out)
        if residual { out[width - 1] = r }
      } catch {
        throw .data("\(reader.displayName):\(reader.line): \(error.message)")
      }
      try PCACommand.writeRow(
        &out, y[...], raw: raw, id: csv.idColumn == nil ? nil : reader.id,
        delimiter: reader.delimiter)
      n += 1
    }
    try out.close()
    if !o.has(OptionSpec.quiet) {
      Console.errLine(
        "apply: \(n) samples scored with \(modelPath) (\(model.rule.name), \(model.components) x \(d)\(model.centering ? ", centred" : ""))"
          + (residual ? ", residual in the last column" : "")
          + (reader.skipNonFinite ? "; \(reader.skipped) skipped (NaN or infinity)" : ""))
    }
  }
}

/// `hebbian export`: a saved model as JSON, for numpy or any other consumer.
enum ExportCommand {
  static let command = Command(
    name: "export",
    summary:
      "Write a saved PCA model as JSON: rule, dimension, components, mean, variance estimates.",
    options: [
      .savedModel,
      ExportOptions.output,
    ],
    run: { (o: ParsedOptions) throws(CLIError) in try run(o) }
  )

  static func run(_ o: ParsedOptions) throws(CLIError) {
    let modelPath = try o.required(OptionSpec.savedModel)
    let outputPath = o.string(ExportOptions.output, default: "-")
    if !outputPath.isBytes("-") && !outputPath.hasByteSuffix(".json") {
      throw .usage(
        "--output \(outputPath): export writes JSON; name the file .json (or - for stdout)")
    }
    let m = try DeployedModel.load(modelPath)
    try o.outputs.write(outputPath, Array(json(m).utf8), option: ExportOptions.output.name)
  }

  /// Every float in its shortest round-trip form: parsed as float32 it gives the same bits.
  static func json(_ m: DeployedModel) -> String {
    func list(_ v: ArraySlice<Float>) -> String {
      var s = "["
      for (i, x) in v.enumerated() { s += (i == 0 ? "" : ", ") + Fmt.shortest(x) }
      return s + "]"
    }
    let c = m.basis.components
    var rows = ""
    for i in 0..<m.components {
      rows +=
        (i == 0 ? "" : ",\n    ")
        + list(c[(i * m.dimension)..<((i + 1) * m.dimension)])
    }
    return """
      {
        "format": "hebbian-pca",
        "version": 2,
        "rule": "\(m.rule.name)",
        "ordered": \(m.ordered),
        "orthonormality_error": \(Fmt.sci(m.orthonormality, 3)),
        "dimension": \(m.dimension),
        "centering": \(m.centering),
        "samples": \(m.samples),
        "components": [
          \(rows)
        ],
        "mean": \(list(m.basis.mean[...])),
        "running_variances": \(list(m.varianceEstimates.map { Float($0) }[...]))
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
    if path.isBytes("-") { return false }
    if path.hasByteSuffix(".f32") || path.hasByteSuffix(".bin") { return true }
    if [".csv", ".txt", ".tsv"].contains(where: path.hasByteSuffix) { return false }
    if isDevice(path) { return false }
    throw .usage(
      "\(option) \(path): unknown format; name it .csv (text) or .f32 (raw float32)")
  }

  /// A file that must be raw float32: `.f32`, `.bin`, or a name without an extension.
  static func requireF32(_ path: String, option: String) throws(CLIError) {
    if let e = fileExtension(path), !e.isBytes("f32") && !e.isBytes("bin"), !isDevice(path) {
      throw .usage("\(option) \(path): writes raw float32; name the file .f32")
    }
  }

  /// An SVG plot: `.svg`, or a name without an extension.
  static func requireSVG(_ path: String, option: String) throws(CLIError) {
    if let e = fileExtension(path), !e.isBytes("svg"), !isDevice(path) {
      throw .usage("\(option) \(path): writes an SVG drawing; name the file .svg")
    }
  }

  /// The extension of the last path component ("png" of "out/x.png"), nil without one.
  static func fileExtension(_ path: String) -> String? {
    let bytes = path.utf8
    let name = bytes[(bytes.lastIndex(of: UInt8(ascii: "/")).map(bytes.index(after:)) ?? bytes.startIndex)...]
    guard let dot = name.lastIndex(of: UInt8(ascii: ".")), dot != name.startIndex else { return nil }
    return String(decoding: name[name.index(after: dot)...], as: UTF8.self)
  }

  /// /dev/null and friends take any format.
  static func isDevice(_ path: String) -> Bool {
    var info = hb_sys_file_info()
    return hb_sys_stat(path, &info) == 0
      && (Int(info.kind) == Int(HB_SYS_KIND_CHAR_DEVICE) || Int(info.kind) == Int(HB_SYS_KIND_FIFO))
  }
}

/// The options of `hebbian export`, each declared once: its table and every query read these.
enum ExportOptions {
  static let output = OptionSpec.value(
    "--output", "OUT.json|-", "the JSON file, - for stdout (default -)"
  ).output()
}

/// The options of `hebbian apply`, each declared once: its table and every query read these.
enum ApplyOptions {
  static let output = OptionSpec.value(
    "--output", "OUT|-", "scores: .f32 raw, .csv/.txt CSV, - stdout (default -)"
  ).output()
  static let dim = OptionSpec.value("--dim", "D", "values per sample (default: the model's)")
  static let residual = OptionSpec.flag(
    "--residual", "append |(x - mean) - C^T y|^2: a novelty score for anomaly detection")
  static let skipNonfinite = OptionSpec.flag(
    "--skip-nonfinite",
    "skip (and count, on stderr) samples holding NaN or infinity instead of failing")
}
