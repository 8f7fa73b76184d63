import CHebbianSys
import Hebbian

/// `hebbian pca`: streams a CSV or f32 file (or stdin) through an online PCA rule with memory
/// independent of the stream length; saves the components, projects the samples, plots the
/// convergence.
enum PCACommand {
  static let command = Command(
    name: "pca",
    summary: "Stream samples through online PCA (Oja, subspace, GHA, similarity matching, FSM, CCIPCA).",
    options: [
      .value("--input", "P|-", "samples: CSV or f32 file, or - for stdin (default -)"),
      .value("--format", "csv|f32", "input format (default: f32 for .f32/.bin, else csv)"),
      .value("--dim", "D", "values per sample (required for f32; CSV: from the first line)"),
      .value("--components", "K", "components to learn (default 2; 1 for oja)"),
      .value("--rule", "R", "oja|subspace|gha|similarity|fsm|ccipca (default gha)"),
      .value("--eta", "X", "rate: the scale c of c/(t0+t), or the constant rate (default 8)"),
      .value("--schedule", "S", "inverse|constant (default inverse)"),
      .value("--t0", "X", "offset t0 of the inverse schedule (default 10 x eta)"),
      .value("--floor", "X", "lowest rate, to track a drifting stream (default 0)"),
      .flag("--center", "subtract a running mean"),
      .value("--passes", "N", "passes over the input (files only; default 1)"),
      .value("--batch", "B", "mini-batch size for oja/subspace/gha (default 1)"),
      .value("--seed", "S", "seed of the initial weights"),
      .value("--save-components", "OUT.f32", "write K x D float32, unit orthogonal rows"),
      .value("--project", "OUT", "write the K outputs per sample (.f32 raw, else CSV)"),
      .value("--reference", "R.f32", "a known basis (rows x D float32): report subspace error"),
      .value("--plot", "FILE.svg", "draw orthonormality (and subspace) error vs samples"),
      .flag("--quiet", "no progress lines on stderr"),
    ],
    run: { (o: ParsedOptions) throws(CLIError) in try run(o) }
  )

  static func run(_ o: ParsedOptions) throws(CLIError) {
    let input = o.string("--input", default: "-")
    let formatName = try o.choice(
      "--format", ["csv", "f32"], default: SampleReader.Format.guess(input) == .f32 ? "f32" : "csv")
    let format: SampleReader.Format = formatName == "f32" ? .f32 : .csv
    let ruleName = try o.choice(
      "--rule", ["oja", "subspace", "gha", "similarity", "fsm", "ccipca"], default: "gha")
    let rule = OnlinePCA.Rule(name: ruleName)!
    let k = try o.int("--components", default: rule == .oja ? 1 : 2, min: 1)
    let passes = try o.int("--passes", default: 1, min: 1)
    let batch = try o.int("--batch", default: 1, min: 1)
    if passes > 1 && input == "-" { throw .usage("--passes: stdin can be read only once") }
    let rate = try learningRate(o)
    let seed = try o.int("--seed").map { UInt64(truncatingIfNeeded: $0) } ?? 0x5EED_0F_0A1A
    let quiet = o.has("--quiet")

    var reader = try SampleReader(path: input, format: format, dimension: try o.int("--dim"))
    let d = try reader.prime()
    var pca: OnlinePCA
    do throws(HebbianError) {
      pca = try OnlinePCA(
        dimension: d, components: k, rule: rule, learningRate: rate, centering: o.has("--center"),
        seed: seed, maxBatch: batch)
    } catch {
      throw .usage(error.message)
    }
    var reference: [Float]? = nil
    var referenceRows = 0
    if let path = o.string("--reference") {
      let r = try readF32(path, columns: d)
      reference = r
      referenceRows = r.count / d
    }

    let onlineProjection = o.string("--project") != nil && input == "-"
    var projection: OutputFile? = nil
    if onlineProjection, let path = o.string("--project") { projection = try OutputFile(path: path) }

    var x = [Float](repeating: 0, count: d * batch)
    var y = [Float](repeating: 0, count: k)
    var curve = Curve()
    let started = hb_sys_monotonic_ns()
    var lastReport = started
    var learnNs: UInt64 = 0
    curve.record(pca, reference, referenceRows)
    for pass in 0..<passes {
      if pass > 0 { reader = try SampleReader(path: input, format: format, dimension: d) }
      var filled = 0
      while true {
        let got = try x.withUnsafeMutableBufferPointer { (b) throws(CLIError) -> Bool in
          try reader.next(into: b.baseAddress! + filled * d)
        }
        if got { filled += 1 }
        if filled == batch || (!got && filled > 0) {
          let t0 = hb_sys_monotonic_ns()
          x.withUnsafeBufferPointer { b in
            if filled == 1 {
              pca.unsafeUpdate(b.baseAddress!)
            } else {
              pca.unsafeUpdate(batch: b.baseAddress!, count: filled)
            }
          }
          learnNs &+= hb_sys_monotonic_ns() &- t0
          if onlineProjection {
            for s in 0..<filled {
              x.withUnsafeBufferPointer { b in
                y.withUnsafeMutableBufferPointer { yb in
                  pca.unsafeProject(b.baseAddress! + s * d, into: yb.baseAddress!)
                }
              }
              try writeRow(&projection!, y, raw: isF32(o.string("--project")!))
            }
          }
          filled = 0
          if pca.samplesSeen >= curve.next { curve.record(pca, reference, referenceRows) }
          if !quiet && pca.samplesSeen & 4095 < batch {
            let now = hb_sys_monotonic_ns()
            if now &- lastReport >= 1_000_000_000 {
              lastReport = now
              let rate = Double(pca.samplesSeen) / (Double(now &- started) * 1e-9)
              Console.errLine(
                "pca: \(pca.samplesSeen) samples, \(Fmt.fixed(rate / 1e6, 2)) M samples/s, "
                  + "orthonormality error \(Fmt.sci(pca.orthonormalityError(), 2))")
            }
          }
        }
        if !got { break }
      }
    }
    curve.record(pca, reference, referenceRows, force: true)
    let seconds = Double(hb_sys_monotonic_ns() &- started) * 1e-9

    if var p = projection { try p.close() }
    if let path = o.string("--save-components") {
      let rows = pca.components(orthonormalized: true)
      var bytes: [UInt8] = []
      bytes.reserveCapacity(rows.count * 4)
      for v in rows { withUnsafeBytes(of: v.bitPattern.littleEndian) { bytes.append(contentsOf: $0) } }
      try Files.writeAtomically(path, bytes)
    }
    if !onlineProjection, let path = o.string("--project") {
      // A second read with the final model: every sample gets the same projection.
      var again = try SampleReader(path: input, format: format, dimension: d)
      var out = try OutputFile(path: path)
      let raw = isF32(path)
      while try x.withUnsafeMutableBufferPointer({ (b) throws(CLIError) -> Bool in
        try again.next(into: b.baseAddress!)
      }) {
        x.withUnsafeBufferPointer { b in
          y.withUnsafeMutableBufferPointer { yb in pca.unsafeProject(b.baseAddress!, into: yb.baseAddress!) }
        }
        try writeRow(&out, y, raw: raw)
      }
      try out.close()
    }

    let n = pca.samplesSeen
    var summary = ""
    func line(_ key: String, _ value: String) { summary += Fmt.padRight(key, 22) + value + "\n" }
    line("rule", rule.name + (rule.isOrdered ? " (ordered components)" : ""))
    line("input", reader.displayName + " (\(formatName), \(d) values per sample)")
    line("samples", "\(n)" + (passes > 1 ? " (\(passes) passes of \(n / passes))" : ""))
    line("components", "\(k) x \(d)")
    line("time", Fmt.fixed(seconds, 3) + " s (" + Fmt.fixed(Double(learnNs) / Double(Swift.max(n, 1)), 1) + " ns/sample in updates)")
    line("orthonormality error", Fmt.sci(pca.orthonormalityError(), 2))
    line("explained variance", Fmt.fixed(pca.explainedVariance, 4))
    if let r = reference {
      let e = (try? pca.subspaceError(reference: r, components: referenceRows)) ?? .nan
      line("subspace error", Fmt.sci(e, 2) + " (vs \(o.string("--reference")!), \(referenceRows) rows)")
    }
    if let path = o.string("--save-components") { line("components written", path) }
    if let path = o.string("--project") { line("projections written", path) }
    if let path = o.string("--plot") {
      var series = [SVGPlot.Series(name: "orthonormality", points: curve.orthonormality)]
      if reference != nil { series.append(SVGPlot.Series(name: "subspace error", points: curve.subspace)) }
      let svg = SVGPlot.render(
        title: "hebbian pca --rule \(rule.name): \(k) of \(d) dimensions", xLabel: "log10(samples)",
        yLabel: "error", series: series, logY: true)
      try Files.write(path, Array(svg.utf8))
      line("plot written", path)
    }
    Console.out(summary)
  }

  static func learningRate(_ o: ParsedOptions) throws(CLIError) -> LearningRate {
    let schedule = try o.choice("--schedule", ["inverse", "constant"], default: "inverse")
    let floor = try o.double("--floor", default: 0)
    let rate: LearningRate
    if schedule == "constant" {
      rate = .constant(Float(try o.double("--eta", default: 0.01)))
    } else {
      let c = try o.double("--eta", default: 8)
      rate = .inverse(scale: Float(c), offset: Float(try o.double("--t0", default: 10 * c)), floor: Float(floor))
    }
    do throws(HebbianError) {
      _ = try OnlinePCA(dimension: 1, components: 1, rule: .oja, learningRate: rate)
    } catch {
      throw .usage(error.message)
    }
    return rate
  }

  static func isF32(_ path: String) -> Bool { SampleReader.Format.guess(path) == .f32 }

  static func writeRow(_ out: inout OutputFile, _ y: [Float], raw: Bool) throws(CLIError) {
    if raw {
      try y.withUnsafeBufferPointer { (b) throws(CLIError) in try out.write(floats: b) }
    } else {
      var s = ""
      for (i, v) in y.enumerated() { s += (i == 0 ? "" : ",") + Fmt.shortest(v) }
      try out.write(s + "\n")
    }
  }

  /// A whole f32 file of rows with `columns` values.
  static func readF32(_ path: String, columns: Int) throws(CLIError) -> [Float] {
    let bytes = try Files.readAll(path, limit: 1 << 26)
    guard !bytes.isEmpty, bytes.count % (4 * columns) == 0 else {
      throw .data("\(path): \(bytes.count) bytes is not a whole number of rows of \(columns) float32 values")
    }
    var out = [Float](repeating: 0, count: bytes.count / 4)
    for i in 0..<out.count {
      var bits: UInt32 = 0
      for b in 0..<4 { bits |= UInt32(bytes[4 * i + b]) << (8 * b) }
      out[i] = Float(bitPattern: bits)
      if !out[i].isFinite { throw .data("\(path):\(i / columns + 1):\(i % columns + 1): NaN or infinity") }
    }
    return out
  }

  /// Convergence samples at geometrically spaced sample counts (×1.1): a few hundred points
  /// whatever the stream length.
  struct Curve {
    var orthonormality: [(x: Double, y: Double)] = []
    var subspace: [(x: Double, y: Double)] = []
    var next = 1
    var lastRecorded = -1

    mutating func record(_ pca: borrowing OnlinePCA, _ reference: [Float]?, _ rows: Int, force: Bool = false) {
      let n = pca.samplesSeen
      if !force && n < next { return }
      if n == lastRecorded { return }
      lastRecorded = n
      // x is log10(samples): the interesting part of a convergence curve spans decades.
      let x = Math.log(Double(Swift.max(n, 1))) / Math.log(10.0)
      orthonormality.append((x, pca.orthonormalityError()))
      if let r = reference, let e = try? pca.subspaceError(reference: r, components: rows) {
        subspace.append((x, e))
      }
      next = Swift.max(n + 1, n + n / 10)
    }
  }
}
