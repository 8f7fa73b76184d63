import CHebbianSys
import Hebbian

/// `pca --resume` and `--continue`: the saved model, its agreement with the options, the
/// identity of the input it was taken from, and where in that input to go on.
extension PCACommand {
  /// A model or checkpoint named by --resume or --continue, read and checked before any work.
  struct Saved {
    var option: String
    var path: String
    var file: ModelFile
    var rule: OnlinePCA.Rule
    var dimension: Int
    var components: Int
    var centering: Bool
    var rate: LearningRate
    var batch: Int
    var state: OnlinePCA.State
    var position: OnlinePCA.StreamPosition
    var skipped: Int64
    /// --passes of the run that wrote it (checkpoints since the input identity was recorded).
    var passes: Int?

    var learner: (samplesSeen: Int64, state: OnlinePCA.State) { (state.samplesSeen, state) }
    /// --resume (the same stream, from the checkpoint's place), not --continue.
    var resumes: Bool { option.isBytes(PCAOptions.resume.name) }

    /// Refuses to resume against another input than the checkpoint's: a different size, first
    /// block, format, or NaN policy. Checkpoints written before identities were recorded are
    /// trusted.
    func checkSameStream(_ now: InputIdentity) throws(CLIError) {
      func counter(_ name: String) -> UInt64? { try? file.counter(name) }
      guard let stdin = counter("inputStdin") else { return }
      let was = stdin == 1 ? "a stream (stdin or a pipe)" : "a file"
      let isNow = now.stdin ? "a stream (stdin or a pipe)" : "a file"
      if (stdin == 1) != now.stdin {
        throw .data(
          "\(path): the checkpoint was taken from \(was), this run reads \(isNow); --resume continues the same stream (use --continue \(path) for new data)"
        )
      }
      if let f = counter("inputFormat"), f != now.formatCode {
        throw .data(
          "\(path): the checkpoint was taken from \(f == 1 ? "f32" : "CSV") input; --format differs"
        )
      }
      if let s = counter("skipNonFinite"), (s == 1) != now.skipNonFinite {
        throw .data(
          "\(path): the checkpoint was taken \(s == 1 ? "with" : "without") --skip-nonfinite; give the same option"
        )
      }
      if now.stdin { return }
      if let size = counter("inputBytes"), size != now.bytes {
        throw .data(
          "\(path): the checkpoint was taken from a \(size)-byte input; \(now.path) has \(now.bytes) bytes (not the same input? --continue \(path) learns new data)"
        )
      }
      if let head = counter("inputHead"), head != UInt64(now.head) {
        throw .data(
          "\(path): \(now.path) differs from the checkpoint's input in its first \(InputIdentity.headBytes) bytes (not the same input? --continue \(path) learns new data)"
        )
      }
    }
  }

  /// The --project output. A run resumed inside the pass that projects keeps the rows its
  /// checkpoint committed and appends the rest, so the file ends as an uninterrupted run's;
  /// any other run writes a new file, staged with its other outputs until its first
  /// checkpoint commits it.
  static func openProjection(_ o: ParsedOptions, saved: Saved?, passes: Int) throws(CLIError)
    -> OutputFile?
  {
    guard let path = o.string(PCAOptions.project) else { return nil }
    let target = try o.outputs.target(path, option: PCAOptions.project.name)
    if let sv = saved, sv.resumes, target.kind == .replace,
      sv.position.pass == passes - 1, let kept = try? sv.file.counter("projectBytes")
    {
      return try OutputFile(
        target: target, keeping: Int64(Swift.min(kept, UInt64(Int64.max))), session: o.outputs)
    }
    return try OutputFile(target: target, session: o.outputs)
  }

  static func loadSaved(_ o: ParsedOptions) throws(CLIError) -> Saved? {
    let option: OptionSpec
    let path: String
    if let p = o.string(PCAOptions.resume) {
      option = PCAOptions.resume
      path = p
    } else if let p = o.string(PCAOptions.continueFrom) {
      option = PCAOptions.continueFrom
      path = p
    } else {
      return nil
    }
    let resumes = option.name.isBytes(PCAOptions.resume.name)
    let file = try loadModel(path)
    do throws(HebbianError) {
      let pca = try OnlinePCA(restoring: file)
      let position =
        resumes ? try OnlinePCA.streamPosition(of: file) : OnlinePCA.StreamPosition()
      let skipped = resumes ? (try? file.counter("skipped")) ?? 0 : 0
      let passes = (try? file.counter("passes")).map { Int(Swift.min($0, UInt64(Int32.max))) }
      return Saved(
        option: option.name, path: path, file: file, rule: pca.rule, dimension: pca.dimension,
        components: pca.componentCount, centering: pca.centering, rate: pca.learningRate,
        batch: pca.maxBatch, state: pca.state, position: position,
        skipped: Int64(Swift.min(skipped, UInt64(1) << 62)), passes: passes)
    } catch {
      throw .data("\(path): \(error.message)")
    }
  }
}

extension PCACommand.Saved {
  /// Refuses options that contradict the saved model: the rule, the shape and the centring
  /// come from the file, and a resumed run also keeps its batch and schedule.
  func checkAgrees(
    _ o: ParsedOptions, rule: OnlinePCA.Rule, components k: Int, batch: Int, rate: LearningRate
  ) throws(CLIError) {
    let what = option + " " + path
    if rule != self.rule {
      throw .usage(
        "--rule \(rule.name): \(what) holds a \(self.rule.name) model; leave --rule out")
    }
    if k != components {
      throw .usage(
        "--components \(k): \(what) has \(components) components; leave --components out")
    }
    if o.has(PCAOptions.center) && !centering {
      throw .usage("--center: \(what) was learned without centring")
    }
    if o.has(PCAOptions.noCenter) && centering {
      throw .usage("--no-center: \(what) was learned with centring")
    }
    if resumes {
      if batch != self.batch {
        throw .usage("--batch \(batch): \(what) was taken with --batch \(self.batch)")
      }
      if rate != self.rate {
        throw .usage(
          "--eta/--schedule/--t0/--floor: \(what) was taken with another schedule; leave them out"
        )
      }
    }
  }

  /// Puts the saved state into `pca`; for --resume also skips `reader` to the checkpoint's
  /// place in its input. Returns the stream position, the records skipped before it and the
  /// number of passes.
  func restore(
    into pca: inout OnlinePCA, reader: inout SampleReader, source: InputIdentity,
    passesGiven: Int?, stdin: Bool
  ) throws(CLIError) -> (OnlinePCA.StreamPosition, Int64, Int) {
    var position = OnlinePCA.StreamPosition()
    var skippedBefore: Int64 = 0
    var passes = passesGiven ?? 1
    do throws(HebbianError) {
      try pca.restore(learner.state)
    } catch {
      throw .data("\(path): \(error.message)")
    }
    if resumes {
      position = self.position
      skippedBefore = skipped
      passes = passesGiven ?? self.passes ?? passes
      try checkSameStream(source)
      if position.pass >= passes {
        throw .data(
          "\(path): the checkpoint is at the end of its input (\(learner.samplesSeen) samples, "
            + "\(position.pass) pass\(position.pass == 1 ? "" : "es")): nothing left to learn; "
            + "give more --passes, or train the model on new data with --continue \(path)")
      }
      if !stdin {
        // A file: skip what the checkpoint learned from, parsing it as the first run did.
        try reader.skip(to: position.sampleOffset, pass: position.pass)
        skippedBefore -= reader.skipped
      }
    }
    return (position, skippedBefore, passes)
  }
}

/// What a run reads, as recorded in its checkpoints so that --resume can refuse another input.
struct InputIdentity {
  /// The checksummed prefix of a file input.
  static let headBytes = 1 << 16
  var path: String
  /// Read once (stdin, a pipe, a FIFO): no size, no head checksum.
  var stdin: Bool
  var bytes: UInt64 = 0
  var head: UInt32 = 0
  var formatCode: UInt64
  var skipNonFinite: Bool

  init(of path: String, format: SampleReader.Format, skipNonFinite: Bool) throws(CLIError) {
    self.path = path
    self.formatCode = format == .f32 ? 1 : 0
    self.skipNonFinite = skipNonFinite
    // A pipe, FIFO or device is read once, like stdin: it cannot be sized or read ahead.
    var info = hb_sys_file_info()
    let rc = path.isBytes("-") ? hb_sys_fstat(0, &info) : hb_sys_stat(path, &info)
    self.stdin = path.isBytes("-") || rc != 0 || Int(info.kind) != Int(HB_SYS_KIND_REGULAR)
    guard !stdin else { return }
    let size = hb_sys_file_size(path)
    if size < 0 { throw .data(Files.errno(Int(size), path)) }
    bytes = UInt64(size)
    var file = try InputFile(path: path)
    var chunk = [UInt8](repeating: 0, count: Self.headBytes)
    var crc = CRC32()
    var total = 0
    while total < Self.headBytes {
      let n = try file.read(into: &chunk)
      if n == 0 { break }
      let take = Swift.min(n, Self.headBytes - total)
      chunk.withUnsafeBytes { crc.update(UnsafeRawBufferPointer(rebasing: $0[0..<take])) }
      total += take
    }
    head = crc.checksum
  }

  static func stdinIsRegular() -> Bool {
    var info = hb_sys_file_info()
    return hb_sys_fstat(0, &info) == 0 && Int(info.kind) == Int(HB_SYS_KIND_REGULAR)
  }

  func counters(batch: Int, passes: Int) -> [ModelFile.Counter] {
    [
      .init("inputStdin", stdin ? 1 : 0), .init("inputBytes", bytes),
      .init("inputHead", UInt64(head)), .init("inputFormat", formatCode),
      .init("skipNonFinite", skipNonFinite ? 1 : 0), .init("batch", UInt64(batch)),
      .init("passes", UInt64(passes)),
    ]
  }
}
