import CHebbianSys
import Hebbian

/// The stream of one `pca` run: its passes over the input in blocks, the learner's outputs
/// (--project), the periodic checkpoints and the convergence curve, then the files and the
/// summary at the end.
extension PCACommand {
  struct Stream: ~Copyable {
    let options: PCAOptions
    let o: ParsedOptions
    let d: Int
    let source: InputIdentity
    var reader: SampleReader
    /// Where the run starts: the checkpoint's place for --resume, else the input's start.
    let position: OnlinePCA.StreamPosition
    /// Records skipped (NaN/inf) before the current reader, by this run and the one a
    /// checkpoint came from.
    var skippedBefore: Int64
    let passes: Int
    let reference: [Float]?
    let referenceRows: Int
    var projection: OutputFile? = nil
    /// --project names a regular file, whose rows a checkpoint can commit.
    let projectsToFile: Bool
    let rawProjection: Bool
    /// A pipe or terminal delivers samples as they happen: each block is what has arrived
    /// (whole batches), learned (and answered) at once; a block waits only for its first
    /// batch. (stdin, a named FIFO or a device: anything but a regular file)
    let live: Bool
    /// Samples are read in blocks of up to 256 and learned in one timed loop, so the clock
    /// is read once per block, not per sample; a block also ends where the convergence
    /// curve wants its next point, where a checkpoint is due and at --max-samples. Blocks
    /// are whole batches, so a pass is cut into the same batches whether or not it was
    /// resumed, and however the input arrives.
    let blockCap: Int
    var x: [Float]
    /// Each sample's outputs as its step computed them: the --project rows.
    var y: [Float]
    /// The id field of each sample of a block, for the online projection.
    var ids: [[UInt8]]
    var curve = Curve()
    let started = hb_sys_monotonic_ns()
    var lastReport: UInt64
    var learnNs: UInt64 = 0
    var samplesAtStart: Int64 = 0
    var nextCheckpoint: Int64 = Int64.max
    /// Records of the current pass before this reader's first (stdin resumed mid-pass).
    var recordBase: Int64
    /// Where a run stopped by --max-samples stopped.
    var stopped: OnlinePCA.StreamPosition? = nil
    /// The input can be read again for the summary (a file, not a stream).
    let rereadable: Bool
    /// The samples' moments over the first pass read whole from the input's start (small d
    /// only), which spare the summary its second reading; `momentsWhole` once that pass ended.
    var moments: PCACommand.InputMoments? = nil
    var momentsWhole = false

    init(
      _ options: PCAOptions, _ o: ParsedOptions, d: Int, source: InputIdentity,
      reader: consuming SampleReader, position: OnlinePCA.StreamPosition, skippedBefore: Int64,
      passes: Int, reference: [Float]?, projection: consuming OutputFile?
    ) throws(CLIError) {
      self.options = options
      self.o = o
      self.d = d
      self.source = source
      self.reader = reader
      self.position = position
      self.skippedBefore = skippedBefore
      self.passes = passes
      self.reference = reference
      self.projection = projection
      referenceRows = (reference?.count ?? 0) / d
      projectsToFile =
        try options.project.map { (p) throws(CLIError) in
          try o.outputs.target(p, option: PCAOptions.project.name).kind == .replace
        } ?? false
      rawProjection = isF32(options.project ?? "")
      live = options.input.isBytes("-") ? !InputIdentity.stdinIsRegular() : source.stdin
      let batch = options.batch
      blockCap = batch * Swift.max(1, 256 / batch)
      x = [Float](repeating: 0, count: d * blockCap)
      y = [Float](repeating: 0, count: options.components * blockCap)
      ids = [[UInt8]](
        repeating: [],
        count: options.project != nil && options.csv.idColumn != nil ? blockCap : 0)
      lastReport = started
      recordBase = options.input.isBytes("-") ? position.sampleOffset : 0
      rereadable = !options.input.isBytes("-") && !source.stdin
    }
  }
}

extension PCACommand.Stream {
  /// Every pass over the input (from a checkpoint's place when resumed), block by block,
  /// until the input ends or --max-samples.
  mutating func learnAll(_ pca: inout OnlinePCA) throws(CLIError) {
    samplesAtStart = pca.samplesSeen
    if options.checkpoint != nil {
      let every = options.checkpointEvery
      nextCheckpoint =
        (pca.samplesSeen / every + 1).multipliedReportingOverflow(by: every)
        .partialValue
    }
    curve.record(pca, reference, referenceRows)
    var pass = position.pass
    if pca.samplesSeen >= options.maxSamples { stopped = position }
    while pass < passes && stopped == nil {
      if pass > position.pass {
        skippedBefore += reader.skipped
        reader = try options.reopen(dimension: d)
        recordBase = 0
      }
      // The rows of --project: the learner's outputs as it learns, in the last pass.
      let projecting = projection != nil && pass + 1 == passes
      let fromStart = pass > position.pass || position.sampleOffset == 0
      if rereadable && !momentsWhole && fromStart && d <= PCACommand.InputMoments.maxDimension {
        moments = PCACommand.InputMoments(dimension: d)
      }
      var ended = false
      while !ended && stopped == nil {
        ended = try learnBlock(&pca, pass: pass, projecting: projecting)
      }
      // A pass cut by --max-samples leaves the summary to read the input again.
      if moments != nil && !momentsWhole { momentsWhole = ended }
      pass += 1
    }
  }

  /// Reads, learns (and projects) one block; writes a checkpoint when one is due. Returns
  /// whether the input ended.
  mutating func learnBlock(_ pca: inout OnlinePCA, pass: Int, projecting: Bool)
    throws(CLIError) -> Bool
  {
    let batch = options.batch
    let due = Swift.min(curve.next, nextCheckpoint, options.maxSamples) - pca.samplesSeen
    let dueBatches = (due + Int64(batch) - 1) / Int64(batch)
    let want = Int(Swift.min(Int64(blockCap), Swift.max(Int64(batch), dueBatches * Int64(batch))))
    let (filled, ended) = try PCACommand.readBlock(
      &reader, into: &x, ids: &ids, want: want, d: d, batch: batch, live: live,
      checkpointPath: options.checkpoint)
    if filled == 0 { return true }
    if !momentsWhole, moments != nil {
      x.withUnsafeBufferPointer { b in moments!.add(b.baseAddress!, count: filled) }
    }
    learnNs &+= try PCACommand.learn(
      &pca, x, count: filled, d: d, batch: batch, outputs: &y, rate: options.rate,
      checkpointPath: options.checkpoint)
    if projecting {
      try PCACommand.project(
        y, count: filled, k: options.components, ids: ids, into: &projection!,
        raw: rawProjection, delimiter: reader.delimiter)
    }
    let here = OnlinePCA.StreamPosition(pass: pass, sampleOffset: recordBase + reader.records)
    if let c = options.checkpoint, pca.samplesSeen >= nextCheckpoint {
      let projected = try commitProjection()
      try o.outputs.writeNow(
        c, checkpointFile(pca, here, skippedBefore + reader.skipped, projected: projected),
        option: PCAOptions.checkpoint.name)
      let every = options.checkpointEvery
      nextCheckpoint = (pca.samplesSeen / every + 1) * every
    }
    if pca.samplesSeen >= curve.next { curve.record(pca, reference, referenceRows) }
    if !options.quiet {
      PCACommand.reportProgress(
        pca, samplesAtStart: samplesAtStart, started: started, lastReport: &lastReport)
    }
    if pca.samplesSeen >= options.maxSamples && !(ended && pass + 1 == passes) {
      // Stopped early: the end checkpoint records where, so --resume continues here.
      stopped = here
    }
    return ended
  }

  /// A checkpoint of `pca` at `at`, with the counters that let --resume check its input.
  func checkpointFile(
    _ pca: borrowing OnlinePCA, _ at: OnlinePCA.StreamPosition, _ skipped: Int64,
    projected: Int64? = nil
  ) -> [UInt8] {
    var file = pca.checkpoint(position: at)
    file.counters.append(.init("skipped", UInt64(Swift.max(skipped, 0))))
    file.counters.append(contentsOf: source.counters(batch: options.batch, passes: passes))
    if let n = projected { file.counters.append(.init("projectBytes", UInt64(n))) }
    return file.encoded()
  }

  /// The --project bytes a checkpoint commits (a regular file only: rows sent to a stream
  /// cannot be taken back), after making them durable in the file itself.
  mutating func commitProjection() throws(CLIError) -> Int64? {
    guard projectsToFile else { return nil }
    return try projection!.commitSoFar()
  }

  /// Stages every output and the end checkpoint, commits them together, prints the summary.
  mutating func finish(_ pca: borrowing OnlinePCA) throws(CLIError) {
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
    if let path = options.saveComponents {
      let rows = pca.components(orthonormalized: true)
      try o.outputs.write(
        path, PCACommand.littleEndianBytes(rows), option: PCAOptions.saveComponents.name)
    }
    if let path = options.saveModel {
      try o.outputs.write(
        path, checkpointFile(pca, end, skipped), option: PCAOptions.saveModel.name)
    }
    var summary = try summarize(pca, seconds: seconds, skipped: skipped)
    try summary.outputs(
      o, rule: options.rule, k: options.components, d: d, curve: curve,
      plotSubspace: reference != nil)
    // The end checkpoint is committed with the other outputs, never before them: a run killed
    // in between resumes from the last periodic checkpoint and writes the same outputs.
    if let c = options.checkpoint {
      try o.outputs.write(
        c, checkpointFile(pca, end, skipped, projected: projected),
        option: PCAOptions.checkpoint.name)
    }
    // Committed while every output's lock is still held.
    try o.outputs.commit()
    // Data on stdout keeps stdout for the data; the summary then goes to stderr.
    if o.outputs.writesStdout { Console.err(summary.text) } else { Console.out(summary.text) }
  }

  /// The run's summary: what was learned from what, how well, at what cost.
  func summarize(_ pca: borrowing OnlinePCA, seconds: Double, skipped: Int64)
    throws(CLIError) -> PCACommand.Summary
  {
    var summary = PCACommand.Summary()
    summary.describe(
      pca, rule: options.rule,
      input: reader.displayName + " (\(options.formatName), \(d) values per sample)",
      passes: passes, stopped: stopped, seconds: seconds, learnNs: learnNs)
    let options = self.options
    let d = self.d
    try summary.quality(
      pca, moments: momentsWhole ? moments : nil,
      reread: rereadable
        ? { () throws(CLIError) -> SampleReader in try options.reopen(dimension: d) } : nil)
    if let r = reference {
      let e = (try? pca.subspaceError(reference: r, components: referenceRows)) ?? .nan
      summary.line(
        "subspace error",
        Fmt.sci(e, 2) + " (vs \(options.reference!), \(referenceRows) rows)")
    }
    summary.memory()
    if options.skipNonFinite { summary.line("skipped (NaN/inf)", "\(skipped)") }
    if let sv = options.saved {
      summary.line(
        sv.resumes ? "resumed from" : "continued from", sv.path + " (sample \(samplesAtStart))")
    }
    return summary
  }
}
