import CHebbianSys
import Hebbian

/// `hebbian pca`: streams a CSV or f32 file (or stdin) through an online PCA rule with memory
/// independent of the stream length; saves the components, projects the samples, plots the
/// convergence.
enum PCACommand {
  static let command = Command(
    name: "pca",
    summary:
      "Stream samples through online PCA (Oja, subspace, GHA, similarity matching, FSM, CCIPCA).",
    options: [
      .value("--input", "P|-", "samples: CSV or f32 file, or - for stdin (default -)"),
      .value("--format", "csv|f32", "input format (default: f32 for .f32/.bin, else csv)"),
      .value("--dim", "D", "values per sample (required for f32; CSV: from the first line)"),
      .value(
        "--delimiter", "C", "CSV field separator: , ; tab or \\t (default: from the first line)"),
      .value(
        "--columns", "LIST", "CSV columns to learn from, 1-based: 2-7 or 2,4,6-8 (default all)"),
      .value(
        "--id-column", "N", "CSV column (e.g. a timestamp) copied verbatim to each --project row"),
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
      .value("--project", "OUT", "write the K outputs per sample (.f32 raw, else CSV; - stdout)"),
      .value("--reference", "R.f32", "a known basis (rows x D float32): report subspace error"),
      .value("--plot", "FILE.svg", "draw orthonormality (and subspace) error vs samples"),
      .flag("--quiet", "no progress lines on stderr"),
      .flag(
        "--skip-nonfinite", "skip (and count) samples holding NaN or infinity instead of failing"),
      .value(
        "--checkpoint", "C", "write a checkpoint (atomically) every --checkpoint-every samples"),
      .value("--checkpoint-every", "N", "samples between checkpoints (default 100000)"),
      .value(
        "--resume", "C",
        "continue from checkpoint C (same command line; stdin: the rest of the stream)"),
      .value("--save-model", "M", "write the final model (the checkpoint format)"),
      .value("--max-samples", "N", "stop after N samples in all (a later --resume continues)"),
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
    let maxSamples = try o.int("--max-samples", default: Int.max, min: 1)
    if let dim = try o.int("--dim"), dim > SampleReader.maxDimension {
      throw .usage("--dim: at most \(SampleReader.maxDimension) values per sample, got \(dim)")
    }
    let rate = try learningRate(o)
    let seed = try o.int("--seed").map { UInt64(truncatingIfNeeded: $0) } ?? 0x5EED_0F_0A1A
    let quiet = o.has("--quiet")
    let checkpointPath = o.string("--checkpoint")
    if o.string("--checkpoint-every") != nil && checkpointPath == nil {
      throw .usage("--checkpoint-every needs --checkpoint C")
    }
    let every = try o.int("--checkpoint-every", default: 100_000, min: 1)

    let csv = try SampleReader.CSVOptions(
      delimiter: o.string("--delimiter"), columns: o.string("--columns"),
      idColumn: o.string("--id-column"))
    if csv.idColumn != nil, let p = o.string("--project"), isF32(p) {
      throw .usage("--id-column: the id is written to CSV --project output, not to .f32")
    }
    var reader = try SampleReader(
      path: input, format: format, dimension: try o.int("--dim"), csv: csv)
    reader.skipNonFinite = o.has("--skip-nonfinite")
    var position = OnlinePCA.StreamPosition()
    // Skipped samples before this run's reader (a resumed checkpoint's count).
    var skippedBefore = 0
    let resumed = try o.string("--resume").map { (p) throws(CLIError) in (p, try loadModel(p)) }
    let d: Int
    if let (_, file) = resumed {
      // Stdin: the caller supplies the rest of the stream, which may be empty.
      reader.allowEmpty = input == "-"
      let primed = try reader.prime()
      d = primed > 0 ? primed : file.shapes.first ?? 0
    } else {
      d = try reader.prime()
    }
    // W is k×d and the batch scratch b×d floats: bound them so a typo cannot ask for
    // gigabytes (2^26 floats = 256 MiB, beyond any board's model).
    if k > d { throw .usage("--components: at most the dimension \(d), got \(k)") }
    if k * d > 1 << 26 {
      throw .usage("--components x dimension: at most \(1 << 26) weights, got \(k * d)")
    }
    if batch * d > 1 << 26 {
      throw .usage("--batch x dimension: at most \(1 << 26) values, got \(batch * d)")
    }
    var pca = try makeLearner(
      dimension: d, components: k, rule: rule, rate: rate, centering: o.has("--center"), seed: seed,
      batch: batch)
    if let (path, file) = resumed {
      do throws(HebbianError) {
        try file.expect(
          kind: OnlinePCA.modelKind(rule), shapes: [d, k], shapeNames: OnlinePCA.shapeNames)
        let saved = try OnlinePCA(restoring: file)
        position = try OnlinePCA.streamPosition(of: file)
        skippedBefore = Int(truncatingIfNeeded: (try? file.counter("skipped")) ?? 0)
        try pca.restore(saved.state)
        if saved.learningRate != rate || saved.centering != o.has("--center") {
          Console.errLine(
            "pca: note: the schedule or centring differs from the checkpoint's; continuing with the command line's"
          )
        }
      } catch {
        throw .data("\(path): \(error.message)")
      }
      if position.pass >= passes && position.sampleOffset > 0 {
        throw .data(
          "\(path): the checkpoint is in pass \(position.pass + 1), but --passes is \(passes)")
      }
      if position.pass < passes && input != "-" {
        // A file: skip what the checkpoint has learned from, parsing it as the first run did.
        try reader.skip(to: position.sampleOffset, pass: position.pass)
        skippedBefore -= reader.skipped
      }
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
    if onlineProjection, let path = o.string("--project") {
      projection = try OutputFile(path: path, atomic: true)
    }

    // Samples are read in blocks of up to 256 and learned in one timed loop, so the clock
    // is read once per block, not per sample; a block also ends where the convergence curve
    // wants its next point, where a checkpoint is due and at --max-samples. Blocks are whole
    // batches, so a pass is cut into the same batches whether or not it was resumed.
    let blockCap = batch * Swift.max(1, 256 / batch)
    var x = [Float](repeating: 0, count: d * blockCap)
    // The id field of each sample of a block, for the online projection.
    var ids = [[UInt8]](
      repeating: [], count: onlineProjection && csv.idColumn != nil ? blockCap : 0)
    var y = [Float](repeating: 0, count: k)
    let rawProjection = isF32(o.string("--project") ?? "")
    var curve = Curve()
    let started = hb_sys_monotonic_ns()
    var lastReport = started
    var learnNs: UInt64 = 0
    let samplesAtStart = pca.samplesSeen
    var nextCheckpoint = checkpointPath == nil ? Int.max : (pca.samplesSeen / every + 1) * every
    // Records of the current pass before this reader's first (stdin resumed mid-pass).
    var recordBase = input == "-" ? position.sampleOffset : 0
    func checkpointFile(_ pca: borrowing OnlinePCA, _ at: OnlinePCA.StreamPosition, _ skipped: Int)
      -> [UInt8]
    {
      var file = pca.checkpoint(position: at)
      file.counters.append(.init("skipped", UInt64(Swift.max(skipped, 0))))
      return file.encoded()
    }
    curve.record(pca, reference, referenceRows)
    var pass = position.pass
    var stopped: OnlinePCA.StreamPosition? = nil
    if pca.samplesSeen >= maxSamples { stopped = position }
    while pass < passes && stopped == nil {
      if pass > position.pass {
        skippedBefore += reader.skipped
        reader = try SampleReader(path: input, format: format, dimension: d, csv: csv)
        reader.skipNonFinite = o.has("--skip-nonfinite")
        recordBase = 0
      }
      var ended = false
      while !ended {
        let due = Swift.min(curve.next, nextCheckpoint, maxSamples) - pca.samplesSeen
        let want = Swift.min(blockCap, Swift.max(batch, (due + batch - 1) / batch * batch))
        var filled = 0
        while filled < want {
          let got = try x.withUnsafeMutableBufferPointer { (b) throws(CLIError) -> Bool in
            try reader.next(into: b.baseAddress! + filled * d)
          }
          if !got {
            ended = true
            break
          }
          if !ids.isEmpty { ids[filled] = reader.id }
          filled += 1
        }
        if filled == 0 { break }
        let t0 = hb_sys_monotonic_ns()
        do throws(HebbianError) {
          try x.withUnsafeBufferPointer { (b) throws(HebbianError) in
            try pca.unsafeGuardedUpdate(block: b.baseAddress!, count: filled, batch: batch)
          }
        } catch {
          var m =
            error.message + "; the update was refused: try a smaller --eta (now "
            + Fmt.shortest(etaValue(rate)) + ") or rescale the input"
          if let c = checkpointPath { m += "; the last checkpoint \(c) is intact" }
          throw .data(m)
        }
        learnNs &+= hb_sys_monotonic_ns() &- t0
        if onlineProjection {
          // stdin is read once, so each sample is projected by the model that just learned it.
          for s in 0..<filled {
            x.withUnsafeBufferPointer { b in
              y.withUnsafeMutableBufferPointer { yb in
                pca.unsafeProject(b.baseAddress! + s * d, into: yb.baseAddress!)
              }
            }
            try writeRow(
              &projection!, y, raw: rawProjection, id: ids.isEmpty ? nil : ids[s],
              delimiter: reader.delimiter)
          }
        }
        let here = OnlinePCA.StreamPosition(pass: pass, sampleOffset: recordBase + reader.records)
        if let c = checkpointPath, pca.samplesSeen >= nextCheckpoint {
          try Files.writeAtomically(c, checkpointFile(pca, here, skippedBefore + reader.skipped))
          nextCheckpoint = (pca.samplesSeen / every + 1) * every
        }
        if pca.samplesSeen >= curve.next { curve.record(pca, reference, referenceRows) }
        if !quiet {
          let now = hb_sys_monotonic_ns()
          if now &- lastReport >= 1_000_000_000 {
            lastReport = now
            let rate = Double(pca.samplesSeen - samplesAtStart) / (Double(now &- started) * 1e-9)
            Console.errLine(
              "pca: \(pca.samplesSeen) samples, \(Fmt.fixed(rate / 1e6, 2)) M samples/s, "
                + "orthonormality error \(Fmt.sci(pca.orthonormalityError(), 2))")
          }
        }
        if pca.samplesSeen >= maxSamples && !(ended && pass + 1 == passes) {
          // Stopped early: the end checkpoint records where, so --resume continues here.
          stopped = here
          break
        }
      }
      pass += 1
    }
    let skipped = skippedBefore + reader.skipped
    // The end of the input: a checkpoint here (and the saved model) resume to a no-op.
    let end = stopped ?? OnlinePCA.StreamPosition(pass: passes, sampleOffset: 0)
    if let c = checkpointPath { try Files.writeAtomically(c, checkpointFile(pca, end, skipped)) }
    curve.record(pca, reference, referenceRows, force: true)
    let seconds = Double(hb_sys_monotonic_ns() &- started) * 1e-9

    if var p = projection { try p.close() }
    if let path = o.string("--save-components") {
      let rows = pca.components(orthonormalized: true)
      var bytes: [UInt8] = []
      bytes.reserveCapacity(rows.count * 4)
      for v in rows {
        withUnsafeBytes(of: v.bitPattern.littleEndian) { bytes.append(contentsOf: $0) }
      }
      try Files.writeAtomically(path, bytes)
    }
    if let path = o.string("--save-model") {
      try Files.writeAtomically(path, checkpointFile(pca, end, skipped))
    }
    if !onlineProjection, let path = o.string("--project") {
      // A second read with the final model: every sample gets the same projection.
      var again = try SampleReader(path: input, format: format, dimension: d, csv: csv)
      var out = try OutputFile(path: path, atomic: true)
      let raw = isF32(path)
      while try x.withUnsafeMutableBufferPointer({ (b) throws(CLIError) -> Bool in
        try again.next(into: b.baseAddress!)
      }) {
        x.withUnsafeBufferPointer { b in
          y.withUnsafeMutableBufferPointer { yb in
            pca.unsafeProject(b.baseAddress!, into: yb.baseAddress!)
          }
        }
        try writeRow(
          &out, y, raw: raw, id: csv.idColumn == nil ? nil : again.id,
          delimiter: again.delimiter)
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
    line(
      "time",
      Fmt.fixed(seconds, 3) + " s (" + Fmt.fixed(Double(learnNs) / Double(Swift.max(n, 1)), 1)
        + " ns/sample in updates)")
    line("orthonormality error", Fmt.sci(pca.orthonormalityError(), 2))
    line("explained variance", Fmt.fixed(pca.explainedVariance, 4))
    if let r = reference {
      let e = (try? pca.subspaceError(reference: r, components: referenceRows)) ?? .nan
      line(
        "subspace error", Fmt.sci(e, 2) + " (vs \(o.string("--reference")!), \(referenceRows) rows)"
      )
    }
    let rss = hb_sys_peak_rss_kib()
    if rss > 0 {
      line("peak memory", "\(rss / 1024) MiB resident (independent of the stream length)")
    }
    if o.has("--skip-nonfinite") { line("skipped (NaN/inf)", "\(skipped)") }
    if let path = o.string("--resume") {
      line("resumed from", path + " (sample \(samplesAtStart))")
    }
    if let path = o.string("--save-components") { line("components written", path) }
    if let path = o.string("--save-model") { line("model written", path) }
    if let path = checkpointPath { line("checkpoint written", path) }
    if let path = o.string("--project") { line("projections written", path) }
    if let path = o.string("--plot") {
      var series = [SVGPlot.Series(name: "orthonormality", points: curve.orthonormality)]
      if reference != nil {
        series.append(SVGPlot.Series(name: "subspace error", points: curve.subspace))
      }
      let svg = SVGPlot.render(
        title: "hebbian pca --rule \(rule.name): \(k) of \(d) dimensions", xLabel: "log10(samples)",
        yLabel: "error", series: series, logY: true)
      try Files.writeAtomically(path, Array(svg.utf8))
      line("plot written", path)
    }
    // Projections to stdout keep stdout for the data; the summary then goes to stderr.
    if o.string("--project") == "-" { Console.err(summary) } else { Console.out(summary) }
  }

  static func learningRate(_ o: ParsedOptions) throws(CLIError) -> LearningRate {
    let schedule = try o.choice("--schedule", ["inverse", "constant"], default: "inverse")
    let floor = try o.double("--floor", default: 0)
    let rate: LearningRate
    if schedule == "constant" {
      rate = .constant(Float(try o.double("--eta", default: 0.01)))
    } else {
      let c = try o.double("--eta", default: 8)
      rate = .inverse(
        scale: Float(c), offset: Float(try o.double("--t0", default: 10 * c)), floor: Float(floor))
    }
    do throws(HebbianError) {
      _ = try OnlinePCA(dimension: 1, components: 1, rule: .oja, learningRate: rate)
    } catch {
      throw .usage(error.message)
    }
    return rate
  }

  static func makeLearner(
    dimension: Int, components: Int, rule: OnlinePCA.Rule, rate: LearningRate, centering: Bool,
    seed: UInt64, batch: Int
  ) throws(CLIError) -> OnlinePCA {
    do throws(HebbianError) {
      return try OnlinePCA(
        dimension: dimension, components: components, rule: rule, learningRate: rate,
        centering: centering, seed: seed, maxBatch: batch)
    } catch {
      throw .usage(error.message)
    }
  }

  /// The --eta the schedule was built from, for the divergence message.
  static func etaValue(_ rate: LearningRate) -> Float {
    switch rate {
    case .constant(let a): return a
    case .inverse(let scale, _, _): return scale
    }
  }

  /// Reads and validates a model or checkpoint file; errors name the file.
  static func loadModel(_ path: String) throws(CLIError) -> ModelFile {
    // A PCA model is a few k×d arrays; 1 GiB is far above any that fits a board.
    let bytes = try Files.readAll(path, limit: 1 << 30)
    do throws(HebbianError) {
      return try ModelFile(decoding: bytes)
    } catch {
      throw .data("\(path): \(error.message)")
    }
  }

  static func isF32(_ path: String) -> Bool { SampleReader.Format.guess(path) == .f32 }

  /// One projected sample: raw float32, or a CSV line (the input's delimiter, `,` for f32
  /// input) that starts with the sample's id field when there is one.
  static func writeRow(
    _ out: inout OutputFile, _ y: [Float], raw: Bool, id: [UInt8]? = nil, delimiter: UInt8 = 44
  ) throws(CLIError) {
    if raw {
      try y.withUnsafeBufferPointer { (b) throws(CLIError) in try out.write(floats: b) }
    } else {
      let sep: UInt8 = delimiter == 0 ? 44 : delimiter
      var line: [UInt8] = id.map { $0 + [sep] } ?? []  // the id's bytes as they were
      for (i, v) in y.enumerated() {
        if i > 0 { line.append(sep) }
        line.append(contentsOf: Fmt.shortest(v).utf8)
      }
      line.append(10)
      try out.write(line)
    }
  }

  /// A whole f32 file of rows with `columns` values.
  static func readF32(_ path: String, columns: Int) throws(CLIError) -> [Float] {
    let bytes = try Files.readAll(path, limit: 1 << 26)
    guard !bytes.isEmpty, bytes.count % (4 * columns) == 0 else {
      throw .data(
        "\(path): \(bytes.count) bytes is not a whole number of rows of \(columns) float32 values")
    }
    var out = [Float](repeating: 0, count: bytes.count / 4)
    for i in 0..<out.count {
      var bits: UInt32 = 0
      for b in 0..<4 { bits |= UInt32(bytes[4 * i + b]) << (8 * b) }
      out[i] = Float(bitPattern: bits)
      if !out[i].isFinite {
        throw .data("\(path):\(i / columns + 1):\(i % columns + 1): NaN or infinity")
      }
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

    mutating func record(
      _ pca: borrowing OnlinePCA, _ reference: [Float]?, _ rows: Int, force: Bool = false
    ) {
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
