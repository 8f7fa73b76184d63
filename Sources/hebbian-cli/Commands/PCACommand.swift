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
    options: OptionSpec.samples + OptionSpec.csvLayout + [
      .value("--components", "K", "components to learn (default 2; 1 for oja)"),
      .value("--rule", "R", "oja|subspace|gha|similarity|fsm|ccipca (default gha)"),
      .value(
        "--eta", "X", "rate: the scale c of c/(t0+t), or the constant rate (default per rule)"),
      .value("--schedule", "S", "inverse|constant (default inverse)"),
      .value("--t0", "X", "offset t0 of the inverse schedule (default per rule; 10 x --eta)"),
      .value("--floor", "X", "lowest rate, to track a drifting stream (default 0)"),
      .flag("--center", "subtract a running mean (the default)"),
      .flag("--no-center", "learn on the raw samples, without a running mean"),
      .passes,
      .value("--batch", "B", "mini-batch size for oja/subspace/gha (default 1)"),
      .value("--seed", "S", "seed of the initial weights"),
      .value("--save-components", "OUT.f32", "write K x D float32, unit orthogonal rows").output(),
      .value("--project", "OUT", "write the K outputs per sample (.f32 raw, else CSV; - stdout)")
        .output(),
      .value("--reference", "R.f32", "a known basis (rows x D float32): report subspace error")
        .input(),
      .value("--plot", "FILE.svg", "draw orthonormality (and subspace) error vs samples").output(),
      .quiet,
      .flag(
        "--skip-nonfinite", "skip (and count) samples holding NaN or infinity instead of failing"),
      .value(
        "--checkpoint", "C", "write a checkpoint (atomically) every --checkpoint-every samples"
      ).output(mayReplace: ["--resume", "--continue"]),
      .value("--checkpoint-every", "N", "samples between checkpoints (default 100000)"),
      .value(
        "--resume", "C",
        "continue from checkpoint C (same command line; stdin: the rest of the stream)"
      ).input(),
      .value(
        "--continue", "M",
        "train the saved model M (or a checkpoint) further on a new input: weights, mean and schedule carried over"
      ).input(),
      .value("--save-model", "M", "write the final model (the checkpoint format)").output(
        mayReplace: ["--resume", "--continue"]),
      .value("--max-samples", "N", "stop after N samples in all (a later --resume continues)"),
    ],
    run: { (o: ParsedOptions) throws(CLIError) in try run(o) }
  )

  static func run(_ o: ParsedOptions) throws(CLIError) {
    let input = o.string("--input", default: "-")
    if let p = o.string("--project") { _ = try OutputFormat.rows(p, option: "--project") }
    let formatName = try o.choice(
      "--format", ["csv", "f32"], default: SampleReader.Format.guess(input) == .f32 ? "f32" : "csv")
    let format: SampleReader.Format = formatName == "f32" ? .f32 : .csv
    let passesGiven = try o.int("--passes").map { (v) throws(CLIError) -> Int in
      if v < 1 { throw .usage("--passes: must be >= 1, got \(v)") }
      return v
    }
    if (passesGiven ?? 1) > 1 && input == "-" {
      throw .usage("--passes: stdin can be read only once")
    }
    let maxSamples = try o.int64("--max-samples", default: Int64.max, min: 1)
    if let dim = try o.int("--dim"), dim > SampleReader.maxDimension {
      throw .usage("--dim: at most \(SampleReader.maxDimension) values per sample, got \(dim)")
    }
    let seed = try o.int("--seed").map { UInt64(truncatingIfNeeded: $0) } ?? 0x5EED_0F_0A1A
    let quiet = o.has("--quiet")
    let checkpointPath = o.string("--checkpoint")
    if o.string("--checkpoint-every") != nil && checkpointPath == nil {
      throw .usage("--checkpoint-every needs --checkpoint C")
    }
    let every = try o.int64("--checkpoint-every", default: 100_000, min: 1)
    let csv = try SampleReader.CSVOptions(o)
    if csv.idColumn != nil, let p = o.string("--project"), isF32(p) {
      throw .usage("--id-column: the id is written to CSV --project output, not to .f32")
    }
    let skipNonFinite = o.has("--skip-nonfinite")
    if o.string("--resume") != nil && o.string("--continue") != nil {
      throw .usage(
        "--continue: not with --resume (--resume finishes the same stream, --continue learns a new one)"
      )
    }

    // A saved model (--resume, --continue) fixes the rule, the shape, the centring and the
    // batch; options that disagree with it are refused rather than silently ignored.
    let saved = try loadSaved(o)
    let ruleName = try o.choice(
      "--rule", ["oja", "subspace", "gha", "similarity", "fsm", "ccipca"],
      default: saved?.rule.name ?? "gha")
    let rule = OnlinePCA.Rule(name: ruleName)!
    let k = try o.int("--components", default: saved?.components ?? (rule == .oja ? 1 : 2), min: 1)
    let batch = try o.int("--batch", default: saved?.batch ?? 1, min: 1)
    if batch > 1 && !(rule == .oja || rule == .subspace || rule == .gha) {
      throw .usage(
        "--batch: mini-batches apply to oja, subspace and gha; --rule \(rule.name) learns sample by sample"
      )
    }
    if format == .f32 {
      for option in ["--delimiter", "--columns", "--id-column"] where o.has(option) {
        throw .usage("\(option): applies to CSV input, not f32")
      }
    }
    if o.has("--center") && o.has("--no-center") {
      throw .usage("--center and --no-center: give one of them")
    }
    // Centring is the default: on uncentred data (pixels, raw sensor units) an uncentred rule
    // spends its first component on the mean.
    let centering = saved?.centering ?? !o.has("--no-center")
    let rate = try learningRate(o, rule: rule, saved: saved?.rate)
    if let sv = saved { try sv.checkAgrees(o, rule: rule, components: k, batch: batch, rate: rate) }

    let dimOption = try o.int("--dim")
    if let sv = saved, let given = dimOption, given != sv.dimension {
      throw .usage("--dim \(given): \(sv.option) \(sv.path) has dimension \(sv.dimension)")
    }
    var reader = try SampleReader(
      path: input, format: format, dimension: saved?.dimension ?? dimOption, csv: csv,
      dimensionSource: saved.map { "\($0.option) \($0.path) has dimension \($0.dimension)" })
    reader.skipNonFinite = skipNonFinite
    if input == "-" && hb_sys_isatty(0) == 1 && !quiet {
      Console.errLine("pca: reading samples from the terminal (one per line; end with Ctrl-D)")
    }
    // Stdin after a resume may hold nothing more (the stream ended with the checkpoint).
    reader.allowEmpty = saved?.option == "--resume" && input == "-"
    let primed = try reader.prime()
    let d = saved?.dimension ?? primed
    // W is k×d and the batch scratch b×d floats: bound them so a typo cannot ask for
    // gigabytes (2^26 floats = 256 MiB, beyond any board's model).
    if k > d { throw .usage("--components: at most the dimension \(d), got \(k)") }
    if k.multipliedReportingOverflow(by: d).overflow || k * d > 1 << 26 {
      throw .usage("--components x dimension: at most \(1 << 26) weights, got \(k) x \(d)")
    }
    if batch.multipliedReportingOverflow(by: d).overflow || batch * d > 1 << 26 {
      throw .usage("--batch x dimension: at most \(1 << 26) values, got \(batch) x \(d)")
    }
    let source = try InputIdentity(of: input, format: format, skipNonFinite: skipNonFinite)
    if format == .f32 && !source.stdin && source.bytes % UInt64(4 * d) != 0 {
      // The reader's own message (file:sample:value), found now rather than after learning
      // the whole file.
      let per = UInt64(4 * d)
      let trailing = source.bytes % per
      throw .data(
        "\(input):\(source.bytes / per + 1):\(trailing / 4 + 1): truncated: \(trailing) trailing bytes, not a whole sample of \(d) float32 values"
      )
    }
    var pca = try makeLearner(
      dimension: d, components: k, rule: rule, rate: rate, centering: centering, seed: seed,
      batch: batch)
    var position = OnlinePCA.StreamPosition()
    // Records skipped (NaN/inf) before this run's reader, by the run a checkpoint came from.
    var skippedBefore: Int64 = 0
    var passes = passesGiven ?? 1
    if let sv = saved {
      (position, skippedBefore, passes) = try sv.restore(
        into: &pca, reader: &reader, source: source, passesGiven: passesGiven, stdin: input == "-")
    }
    let reference = try o.string("--reference").map { (path) throws(CLIError) in
      try readReference(path, d: d)
    }
    let referenceRows = (reference?.count ?? 0) / d
    var projection = try openProjection(o, saved: saved, passes: passes)
    let projectsToFile =
      try o.string("--project").map { (p) throws(CLIError) in
        try o.outputs.target(p, option: "--project").kind == .replace
      } ?? false
    let rawProjection = isF32(o.string("--project") ?? "")
    // A pipe or terminal delivers samples as they happen: each block is what has arrived
    // (whole batches), learned (and answered) at once; a block waits only for its first batch.
    // (stdin, a named FIFO or a device: anything but a regular file)
    let live = input == "-" ? !InputIdentity.stdinIsRegular() : source.stdin

    // Samples are read in blocks of up to 256 and learned in one timed loop, so the clock
    // is read once per block, not per sample; a block also ends where the convergence curve
    // wants its next point, where a checkpoint is due and at --max-samples. Blocks are whole
    // batches, so a pass is cut into the same batches whether or not it was resumed, and
    // however the input arrives.
    let blockCap = batch * Swift.max(1, 256 / batch)
    var x = [Float](repeating: 0, count: d * blockCap)
    // Each sample's outputs as its step computed them: the --project rows.
    var y = [Float](repeating: 0, count: k * blockCap)
    // The id field of each sample of a block, for the online projection.
    var ids = [[UInt8]](
      repeating: [], count: o.string("--project") != nil && csv.idColumn != nil ? blockCap : 0)
    var curve = Curve()
    let started = hb_sys_monotonic_ns()
    var lastReport = started
    var learnNs: UInt64 = 0
    let samplesAtStart = pca.samplesSeen
    var nextCheckpoint =
      checkpointPath == nil
      ? Int64.max
      : (pca.samplesSeen / every + 1).multipliedReportingOverflow(by: every).partialValue
    // Records of the current pass before this reader's first (stdin resumed mid-pass).
    var recordBase: Int64 = input == "-" ? position.sampleOffset : 0
    func checkpointFile(
      _ pca: borrowing OnlinePCA, _ at: OnlinePCA.StreamPosition, _ skipped: Int64,
      projected: Int64? = nil
    )
      -> [UInt8]
    {
      var file = pca.checkpoint(position: at)
      file.counters.append(.init("skipped", UInt64(Swift.max(skipped, 0))))
      file.counters.append(contentsOf: source.counters(batch: batch, passes: passes))
      if let n = projected { file.counters.append(.init("projectBytes", UInt64(n))) }
      return file.encoded()
    }
    // The --project bytes a checkpoint commits (a regular file only: rows sent to a stream
    // cannot be taken back), after making them durable in the file itself.
    func commitProjection(_ projection: inout OutputFile?) throws(CLIError) -> Int64? {
      guard projectsToFile else { return nil }
      return try projection!.commitSoFar()
    }
    curve.record(pca, reference, referenceRows)
    var pass = position.pass
    var stopped: OnlinePCA.StreamPosition? = nil
    if pca.samplesSeen >= maxSamples { stopped = position }
    while pass < passes && stopped == nil {
      if pass > position.pass {
        skippedBefore += reader.skipped
        reader = try SampleReader(path: input, format: format, dimension: d, csv: csv)
        reader.skipNonFinite = skipNonFinite
        recordBase = 0
      }
      // The rows of --project: the learner's outputs as it learns, in the last pass.
      let projecting = projection != nil && pass + 1 == passes
      var ended = false
      while !ended {
        let due = Swift.min(curve.next, nextCheckpoint, maxSamples) - pca.samplesSeen
        let dueBatches = (due + Int64(batch) - 1) / Int64(batch)
        let want = Int(
          Swift.min(Int64(blockCap), Swift.max(Int64(batch), dueBatches * Int64(batch))))
        let filled: Int
        (filled, ended) = try readBlock(
          &reader, into: &x, ids: &ids, want: want, d: d, batch: batch, live: live,
          checkpointPath: checkpointPath)
        if filled == 0 { break }
        learnNs &+= try learn(
          &pca, x, count: filled, d: d, batch: batch, outputs: &y, rate: rate,
          checkpointPath: checkpointPath)
        if projecting {
          try project(
            y, count: filled, k: k, ids: ids, into: &projection!, raw: rawProjection,
            delimiter: reader.delimiter)
        }
        let here = OnlinePCA.StreamPosition(
          pass: pass, sampleOffset: recordBase + reader.records)
        if let c = checkpointPath, pca.samplesSeen >= nextCheckpoint {
          let projected = try commitProjection(&projection)
          try o.outputs.writeNow(
            c, checkpointFile(pca, here, skippedBefore + reader.skipped, projected: projected),
            option: "--checkpoint")
          nextCheckpoint = (pca.samplesSeen / every + 1) * every
        }
        if pca.samplesSeen >= curve.next { curve.record(pca, reference, referenceRows) }
        if !quiet {
          reportProgress(
            pca, samplesAtStart: samplesAtStart, started: started, lastReport: &lastReport)
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
    curve.record(pca, reference, referenceRows, force: true)
    let seconds = Double(hb_sys_monotonic_ns() &- started) * 1e-9

    // The rows a run stopped early has projected, for its --resume to keep (resume() keeps
    // them only when the checkpoint is inside the pass that projects).
    var projected: Int64? = nil
    // Every output is staged first; the run's session renames them together at the end.
    if var p = projection.take() {
      if stopped != nil && projectsToFile { projected = p.length }
      try p.close()
    }
    if let path = o.string("--save-components") {
      let rows = pca.components(orthonormalized: true)
      try o.outputs.write(path, littleEndianBytes(rows), option: "--save-components")
    }
    if let path = o.string("--save-model") {
      try o.outputs.write(path, checkpointFile(pca, end, skipped), option: "--save-model")
    }

    var summary = Summary()
    summary.describe(
      pca, rule: rule, input: reader.displayName + " (\(formatName), \(d) values per sample)",
      passes: passes, stopped: stopped, seconds: seconds, learnNs: learnNs)
    let rereadable = !input.isBytes("-") && !source.stdin
    try summary.quality(
      pca,
      reread: rereadable
        ? { () throws(CLIError) -> SampleReader in
          var r = try SampleReader(path: input, format: format, dimension: d, csv: csv)
          r.skipNonFinite = skipNonFinite
          return r
        } : nil)
    if let r = reference {
      let e = (try? pca.subspaceError(reference: r, components: referenceRows)) ?? .nan
      summary.line(
        "subspace error", Fmt.sci(e, 2) + " (vs \(o.string("--reference")!), \(referenceRows) rows)"
      )
    }
    summary.memory()
    if skipNonFinite { summary.line("skipped (NaN/inf)", "\(skipped)") }
    if let sv = saved {
      summary.line(
        sv.option == "--resume" ? "resumed from" : "continued from",
        sv.path + " (sample \(samplesAtStart))")
    }
    try summary.outputs(o, rule: rule, k: k, d: d, curve: curve, plotSubspace: reference != nil)
    // The end checkpoint is committed with the other outputs, never before them: a run killed
    // in between resumes from the last periodic checkpoint and writes the same outputs.
    if let c = checkpointPath {
      try o.outputs.write(
        c, checkpointFile(pca, end, skipped, projected: projected), option: "--checkpoint")
    }
    // Committed while every output's lock is still held.
    try o.outputs.commit()
    // Data on stdout keeps stdout for the data; the summary then goes to stderr.
    if o.outputs.writesStdout { Console.err(summary.text) } else { Console.out(summary.text) }
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
    let scheduleOptions = ["--schedule", "--eta", "--t0", "--floor"]
    if let s = saved, !scheduleOptions.contains(where: { o.string($0) != nil }) { return s }
    let schedule = try o.choice("--schedule", ["inverse", "constant"], default: "inverse")
    let floor = try o.double("--floor", default: 0)
    let rate: LearningRate
    if !(floor >= 0 && floor <= 1) { throw .usage("--floor: must be in [0, 1], got \(floor)") }
    if schedule == "constant" {
      if o.string("--t0") != nil { throw .usage("--t0: applies to --schedule inverse only") }
      let a = try o.double("--eta", default: 0.01)
      if !(a > 0 && a <= 1) {
        throw .usage("--eta: the constant rate must be in (0, 1], got \(a)")
      }
      rate = .constant(Float(a))
    } else {
      var (c0, t00): (Float, Float) = (8, 80)
      if case .inverse(let sc, let off, _) = LearningRate.standard(for: rule) {
        (c0, t00) = (sc, off)
      }
      let c = try o.double("--eta", default: Double(c0))
      if !(c > 0 && c <= 1e6) { throw .usage("--eta: must be in (0, 1e6], got \(c)") }
      let t0 = try o.double("--t0", default: o.string("--eta") == nil ? Double(t00) : 10 * c)
      if !(t0 >= 0 && t0 <= 1e12) { throw .usage("--t0: must be in [0, 1e12], got \(t0)") }
      rate = .inverse(scale: Float(c), offset: Float(t0), floor: Float(floor))
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
    case .inverse(let scale, _, _): return scale
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
