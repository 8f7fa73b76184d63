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
    options: PCAOptions.table,
    run: { (o: ParsedOptions) throws(CLIError) in try run(o) }
  )

  static func run(_ o: ParsedOptions) throws(CLIError) {
    let options = try PCAOptions(o)
    var reader = try options.openReader()
    let saved = options.saved
    if options.input.isBytes("-") && hb_sys_isatty(0) == 1 && !options.quiet {
      Console.errLine("pca: reading samples from the terminal (one per line; end with Ctrl-D)")
    }
    // Stdin after a resume may hold nothing more (the stream ended with the checkpoint).
    reader.allowEmpty = saved?.resumes == true && options.input.isBytes("-")
    let primed = try reader.prime()
    let d = saved?.dimension ?? primed
    try options.checkShape(dimension: d)
    let source = try options.inputIdentity(dimension: d)
    var pca = try makeLearner(
      dimension: d, components: options.components, rule: options.rule, rate: options.rate,
      centering: options.centering, seed: options.seed, batch: options.batch)
    var position = OnlinePCA.StreamPosition()
    // Records skipped (NaN/inf) before this run's reader, by the run a checkpoint came from.
    var skippedBefore: Int64 = 0
    var passes = options.passesGiven ?? 1
    if let sv = saved {
      (position, skippedBefore, passes) = try sv.restore(
        into: &pca, reader: &reader, source: source, passesGiven: options.passesGiven,
        stdin: options.input.isBytes("-"))
    }
    let reference = try options.reference.map { (path) throws(CLIError) in
      try readReference(path, d: d)
    }
    let projection = try openProjection(o, saved: saved, passes: passes)
    var stream = try Stream(
      options, o, d: d, source: source, reader: reader, position: position,
      skippedBefore: skippedBefore, passes: passes, reference: reference,
      projection: projection)
    try stream.learnAll(&pca)
    try stream.finish(pca)
  }

  /// Reads up to `want` samples into `x` (and their ids, when `ids` keeps them), each checked
  /// against the library's sample contract (once: the learner is then given them unchecked)
  /// so that a refusal names the sample's place in the file. On a `live` input the block ends
  /// early, at a whole number of batches, when no more samples have arrived. Returns how many
  /// samples it read and whether the input ended.
  static func readBlock(
    _ reader: inout SampleReader, into x: inout [Float], ids: inout [[UInt8]], want: Int, d: Int,
    batch: Int, live: Bool, checkpointPath: String?
  ) throws(CLIError) -> (filled: Int, ended: Bool) {
    var filled = 0
    while filled < want {
      if live && filled > 0 && filled % batch == 0 {
        if try !reader.ready() { break }
      }
      let got = try x.withUnsafeMutableBufferPointer { (b) throws(CLIError) -> Int in
        try reader.next(into: b.baseAddress! + filled * d, max: want - filled)
      }
      if got == 0 { return (filled, true) }
      let unfit = x.withUnsafeBufferPointer { b in
        OnlinePCA.firstUnfitSample(b.baseAddress! + filled * d, count: got, dimension: d)
      }
      if let s = unfit {
        do throws(HebbianError) {
          let at = (filled + s) * d
          try OnlinePCA.checkSample(x.span.extracting(at..<(at + d)))
        } catch {
          var m = "\(reader.displayName):\(reader.line(of: s)): \(error.message)"
          if let c = checkpointPath { m += "; the last checkpoint \(c) is intact" }
          throw .data(m)
        }
      }
      if !ids.isEmpty { for s in 0..<got { ids[filled + s] = reader.id(of: s) } }
      filled += got
    }
    return (filled, false)
  }

  /// Learns the first `count` samples of `x` (checked by ``readBlock``) in batches of
  /// `batch`, each sample's outputs into `outputs`; returns the nanoseconds the update took,
  /// the time the summary reports per sample.
  static func learn(
    _ pca: inout OnlinePCA, _ x: [Float], count: Int, d: Int, batch: Int,
    outputs: inout [Float], rate: LearningRate, checkpointPath: String?
  ) throws(CLIError) -> UInt64 {
    let t0 = hb_sys_monotonic_ns()
    do throws(HebbianError) {
      try x.withUnsafeBufferPointer { (xb) throws(HebbianError) in
        try outputs.withUnsafeMutableBufferPointer { (yb) throws(HebbianError) in
          try pca.unsafeGuardedUpdate(
            block: xb.baseAddress!, count: count, batch: batch, outputs: yb.baseAddress!)
        }
      }
    } catch {
      var m =
        error.message + "; the update was refused: try a smaller --eta (now "
        + Fmt.shortest(etaValue(rate)) + ") or rescale the input"
      if let c = checkpointPath { m += "; the last checkpoint \(c) is intact" }
      throw .data(m)
    }
    return hb_sys_monotonic_ns() &- t0
  }

  /// Writes the --project rows of `count` samples: each sample's outputs as the step that
  /// learned it computed them (rows of `k` in `y`), the answer a live consumer gets, whatever
  /// the blocks the input was read in.
  static func project(
    _ y: [Float], count: Int, k: Int, ids: [[UInt8]], into projection: inout OutputFile,
    raw: Bool, delimiter: UInt8
  ) throws(CLIError) {
    for s in 0..<count {
      try writeRow(
        &projection, y[(s * k)..<((s + 1) * k)], raw: raw, id: ids.isEmpty ? nil : ids[s],
        delimiter: delimiter)
    }
  }

  /// A progress line on stderr, at most one a second however small the blocks are.
  static func reportProgress(
    _ pca: borrowing OnlinePCA, samplesAtStart: Int64, started: UInt64, lastReport: inout UInt64
  ) {
    let now = hb_sys_monotonic_ns()
    guard now &- lastReport >= 1_000_000_000 else { return }
    lastReport = now
    let rate = Double(pca.samplesSeen - samplesAtStart) / (Double(now &- started) * 1e-9)
    Console.errLine(
      "pca: \(pca.samplesSeen) samples, \(Fmt.rate(rate, "samples/s")), "
        + "orthonormality error \(Fmt.sci(pca.orthonormalityError(), 2))")
  }

  /// The --reference basis. A basis of a subspace of R^d has at most d rows: more means the
  /// file was written for another width.
  static func readReference(_ path: String, d: Int) throws(CLIError) -> [Float] {
    let r = try readF32(path, columns: d)
    if r.count / d > d {
      throw .usage(
        "--reference \(path): \(r.count) values make \(r.count / d) rows of \(d), but a basis has at most \(d) rows (written for another dimension?)"
      )
    }
    return r
  }

  static func littleEndianBytes(_ values: [Float]) -> [UInt8] {
    var bytes: [UInt8] = []
    bytes.reserveCapacity(values.count * 4)
    for v in values {
      withUnsafeBytes(of: v.bitPattern.littleEndian) { bytes.append(contentsOf: $0) }
    }
    return bytes
  }

  /// The schedule the options describe; with none of them given, `saved` (the schedule of a
  /// model being resumed or continued) or the rule's default. An --eta without --t0 gets
  /// t0 = 10 × eta (α starts at 0.1).
  static func learningRate(_ o: ParsedOptions, rule: OnlinePCA.Rule, saved: LearningRate? = nil)
    throws(CLIError) -> LearningRate
  {
    if !o.hasAny(PCAOptions.scheduleOptions) { return saved ?? .standard(for: rule) }
    let schedule = try o.choice(
      PCAOptions.schedule, ["inverse", "power", "constant"], default: "inverse")
    let floor = try o.double(PCAOptions.floor, default: 0)
    let rate: LearningRate
    if !(floor >= 0 && floor <= 1) { throw .usage("--floor: must be in [0, 1], got \(floor)") }
    if schedule.isBytes("constant") {
      if o.has(PCAOptions.t0) { throw .usage("--t0: applies to --schedule inverse or power only") }
      let a = try o.double(PCAOptions.eta, default: 0.01)
      if !(a > 0 && a <= 1) {
        throw .usage("--eta: the constant rate must be in (0, 1], got \(a)")
      }
      rate = .constant(Float(a))
    } else {
      // The rule's own constants when its default has this form; Oja's inverse schedule is
      // its default before the power one, 3/(100 + t).
      let power = schedule.isBytes("power")
      var (c0, t00): (Float, Float) = power ? (0.35, 10) : (3, 100)
      switch LearningRate.standard(for: rule) {
      case .inverse(let sc, let off, _) where !power: (c0, t00) = (sc, off)
      case .power(let sc, let off, _) where power: (c0, t00) = (sc, off)
      default: break
      }
      let c = try o.double(PCAOptions.eta, default: Double(c0))
      if !(c > 0 && c <= 1e6) { throw .usage("--eta: must be in (0, 1e6], got \(c)") }
      let t0 = try o.double(PCAOptions.t0, default: !o.has(PCAOptions.eta) ? Double(t00) : 10 * c)
      if !(t0 >= 0 && t0 <= 1e12) { throw .usage("--t0: must be in [0, 1e12], got \(t0)") }
      rate =
        power
        ? .power(scale: Float(c), offset: Float(t0), floor: Float(floor))
        : .inverse(scale: Float(c), offset: Float(t0), floor: Float(floor))
    }
    do throws(HebbianError) {
      try rate.validate()
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
    case .inverse(let scale, _, _), .power(let scale, _, _): return scale
    }
  }

  /// Reads and validates a model or checkpoint file; errors name the file.
  static func loadModel(_ path: String) throws(CLIError) -> ModelFile {
    let bytes = try Files.readModel(path)
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
    _ out: inout OutputFile, _ y: ArraySlice<Float>, raw: Bool, id: [UInt8]? = nil,
    delimiter: UInt8 = 44
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
    var next: Int64 = 1
    var lastRecorded: Int64 = -1

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
