import CHebbianSys
import Hebbian

/// The streaming part of `hebbian monitor`: the phases over the reader, one output row per
/// sample, alarm onsets and ends on stderr, checkpoints, the plot and the summary.
struct MonitorRun: ~Copyable {
  let channels: Int
  let quiet: Bool
  let checkpointEvery: Int64
  var out: OutputFile
  var idColumn: Bool
  var checkpointPath: String?
  /// The run's outputs: periodic checkpoints are committed through it, under its locks.
  let session: OutputSession
  var identity: InputIdentity? = nil
  /// Records of the input before this run's reader (a resumed run's skipped prefix).
  var recordBase: Int64 = 0
  var trace = MonitorTrace()
  var episodes = 0
  /// Passes over the learned samples (their learn calls count each pass).
  var passes = 1
  var nextCheckpoint: Int64 = 0
  var x: [Float]
  var line: [UInt8] = []

  init(_ o: ParsedOptions, channels: Int, quiet: Bool, checkpointEvery: Int64) throws(CLIError) {
    let path = o.string(MonitorOptions.output, default: "-")
    var file = try OutputFile(
      target: try o.outputs.target(path, option: MonitorOptions.output.name), session: o.outputs)
    try file.write(Array("id,t2,q,t2_limit,q_limit,alarm\n".utf8))
    out = file
    self.channels = channels
    self.quiet = quiet
    self.checkpointEvery = checkpointEvery
    idColumn = o.has(OptionSpec.idColumn)
    checkpointPath = o.string(MonitorOptions.checkpoint)
    session = o.outputs
    x = [Float](repeating: 0, count: channels)
    line.reserveCapacity(128)
  }

  // MARK: Phases

  /// Learns from the first `learn` samples (`passes` times, holding them when needed), then
  /// calibrates on the next `calibrate` samples or on the learned ones again. Each sample's
  /// row has empty statistics and alarm 0, so the output lines up with the input.
  // Per-sample loops: optimised for speed although the board builds are -Osize.
  @_optimize(speed)
  mutating func learnAndCalibrate(
    _ monitor: inout NoveltyMonitor, _ reader: inout SampleReader, learn: Int64,
    calibrate: Int64?, passes: Int
  ) throws(CLIError) {
    self.passes = passes
    let holding = calibrate == nil || passes > 1
    var held: [Float] = []
    if holding { held.reserveCapacity(Int(learn) * channels) }
    var seen: Int64 = 0
    while seen < learn, try nextSample(&reader) {
      try emptyRow(reader)
      try step(reader) { (s) throws(HebbianError) in try monitor.learn(s) }
      if holding { held.append(contentsOf: x) }
      seen += 1
    }
    if seen < learn {
      throw .data(
        "\(reader.displayName): the input ended after \(seen) samples; --learn asks for \(learn)")
    }
    for _ in 1..<Swift.max(passes, 1) {
      monitor.resetHistory()
      try replay(held) { (s) throws(HebbianError) in try monitor.learn(s) }
    }
    try library { () throws(HebbianError) in try monitor.beginCalibration() }
    if let m = calibrate {
      var n: Int64 = 0
      while n < m, try nextSample(&reader) {
        try emptyRow(reader)
        try step(reader) { (s) throws(HebbianError) in try monitor.calibrate(s) }
        n += 1
      }
      if n < m {
        throw .data(
          "\(reader.displayName): the input ended after \(learn + n) samples; --learn \(learn) --calibrate \(m) asks for \(learn + m)"
        )
      }
    } else {
      monitor.resetHistory()
      try replay(held) { (s) throws(HebbianError) in try monitor.calibrate(s) }
    }
    try library { () throws(HebbianError) in try monitor.beginDetection() }
    if let c = checkpointPath { try checkpoint(c, monitor, reader) }
  }

  /// Detect (and adapt) to the end of the stream.
  // Per-sample loops: optimised for speed although the board builds are -Osize.
  @_optimize(speed)
  mutating func detect(_ monitor: inout NoveltyMonitor, _ reader: inout SampleReader)
    throws(CLIError)
  {
    nextCheckpoint = (monitor.detected / checkpointEvery + 1) * checkpointEvery
    while try nextSample(&reader) {
      var reading: NoveltyMonitor.Reading? = nil
      let wasOn = monitor.alarm
      try step(reader) { (s) throws(HebbianError) in reading = try monitor.detect(s) }
      guard let r = reading else {
        try emptyRow(reader)
        continue
      }
      try row(reader, r)
      trace.add(r, at: recordBase + reader.records)
      if r.alarm != wasOn { report(r.alarm, reader) }
      if let c = checkpointPath, monitor.detected >= nextCheckpoint {
        try checkpoint(c, monitor, reader)
        nextCheckpoint = (monitor.detected / checkpointEvery + 1) * checkpointEvery
      }
    }
  }

  /// The outputs, committed together, and the summary.
  mutating func finish(
    _ o: ParsedOptions, _ monitor: inout NoveltyMonitor, _ reader: borrowing SampleReader
  )
    throws(CLIError)
  {
    try out.close()
    if let p = o.string(MonitorOptions.saveModel) {
      try o.outputs.write(
        p, checkpointBytes(monitor, reader), option: MonitorOptions.saveModel.name)
    }
    if let p = o.string(MonitorOptions.plot) {
      try o.outputs.write(p, Array(trace.svg().utf8), option: MonitorOptions.plot.name)
    }
    if let c = checkpointPath {
      try o.outputs.write(
        c, checkpointBytes(monitor, reader), option: MonitorOptions.checkpoint.name)
    }
    try o.outputs.commit()
    if !quiet { Console.err(summary(monitor, reader)) }
  }

  // MARK: Rows

  mutating func nextSample(_ reader: inout SampleReader) throws(CLIError) -> Bool {
    try x.withUnsafeMutableBufferPointer { (b) throws(CLIError) -> Bool in
      try reader.next(into: b.baseAddress!)
    }
  }

  /// Runs one library step on the current sample; its refusal names the sample's place.
  func step(_ reader: borrowing SampleReader, _ body: (Span<Float>) throws(HebbianError) -> Void)
    throws(CLIError)
  {
    do throws(HebbianError) {
      try x.withUnsafeBufferPointer { (b) throws(HebbianError) in
        try body(Span(_unsafeElements: b))
      }
    } catch {
      throw .data("\(reader.displayName):\(reader.line): \(error.message)")
    }
  }

  func replay(_ held: [Float], _ body: (Span<Float>) throws(HebbianError) -> Void)
    throws(CLIError)
  {
    do throws(HebbianError) {
      try held.withUnsafeBufferPointer { (b) throws(HebbianError) in
        var at = 0
        while at < b.count {
          try body(Span(_unsafeStart: b.baseAddress! + at, count: channels))
          at += channels
        }
      }
    } catch {
      throw .data("monitor: a pass over the learned samples: \(error.message)")
    }
  }

  func library(_ body: () throws(HebbianError) -> Void) throws(CLIError) {
    do throws(HebbianError) { try body() } catch { throw .data("monitor: \(error.message)") }
  }

  mutating func startRow(_ reader: borrowing SampleReader) {
    line.removeAll(keepingCapacity: true)
    if idColumn {
      line.append(contentsOf: reader.id)
    } else {
      line.append(contentsOf: String(recordBase + reader.records).utf8)
    }
  }

  mutating func emptyRow(_ reader: borrowing SampleReader) throws(CLIError) {
    startRow(reader)
    line.append(contentsOf: ",,,,,0\n".utf8)
    try out.write(line)
  }

  mutating func row(_ reader: borrowing SampleReader, _ r: NoveltyMonitor.Reading)
    throws(CLIError)
  {
    startRow(reader)
    for v in [r.t2, r.q, r.t2Limit, r.qLimit] {
      line.append(44)
      line.append(contentsOf: Fmt.statistic(v).utf8)
    }
    line.append(contentsOf: (r.alarm ? ",1\n" : ",0\n").utf8)
    try out.write(line)
  }

  mutating func report(_ on: Bool, _ reader: borrowing SampleReader) {
    if on { episodes += 1 }
    guard !quiet else { return }
    let id =
      idColumn
      ? String(decoding: reader.id, as: UTF8.self) : String(recordBase + reader.records)
    Console.errorLine("monitor: alarm \(on ? "on" : "off") at \(id)")
  }

  // MARK: Checkpoints

  func checkpointBytes(_ monitor: borrowing NoveltyMonitor, _ reader: borrowing SampleReader)
    -> [UInt8]
  {
    var file = monitor.checkpoint()
    file.counters.append(.init("records", UInt64(recordBase + reader.records)))
    if let id = identity { file.counters += id.counters(batch: 1, passes: 1) }
    return file.encoded()
  }

  func checkpoint(
    _ path: String, _ monitor: borrowing NoveltyMonitor, _ reader: borrowing SampleReader
  ) throws(CLIError) {
    try session.writeNow(
      path, checkpointBytes(monitor, reader), option: MonitorOptions.checkpoint.name)
  }

  /// A checkpoint resumes only the input it was taken from.
  func checkSameInput(_ file: ModelFile, path: String) throws(CLIError) {
    guard let now = identity else { return }
    func counter(_ name: String) -> UInt64? { try? file.counter(name) }
    if let size = counter("inputBytes"), size != now.bytes {
      throw .data(
        "\(path): the checkpoint was taken from a \(size)-byte input; \(now.path) has \(now.bytes) bytes (not the same input? use --model \(path) for a new stream)"
      )
    }
    if let head = counter("inputHead"), head != UInt64(now.head) {
      throw .data(
        "\(path): \(now.path) differs from the checkpoint's input in its first \(InputIdentity.headBytes) bytes (not the same input? use --model \(path) for a new stream)"
      )
    }
    if let s = counter("skipNonFinite"), (s == 1) != now.skipNonFinite {
      throw .data(
        "\(path): the checkpoint was taken \(s == 1 ? "with" : "without") --skip-nonfinite; give the same option"
      )
    }
  }

  // MARK: Summary

  func summary(_ m: borrowing NoveltyMonitor, _ reader: borrowing SampleReader) -> String {
    let o = m.options
    var s = "monitor: \(reader.displayName), \(o.channels) channels"
    s += o.lags > 1 ? " x \(o.lags) lags" : ""
    s += ", \(o.components) components (\(o.rule.name))\n"
    s += "  learned \(m.learned / Int64(passes))" + (passes > 1 ? " x \(passes) passes" : "")
    s += ", calibrated \(m.calibrated) (n = \(m.calibrationCount)), detected \(m.detected)"
    s += reader.skipped > 0 ? ", skipped (NaN/inf) \(reader.skipped)\n" : "\n"
    s += "  limits (\(o.limits.name), false-alarm \(Fmt.statistic(o.falseAlarmRate))): T2 "
    s += Fmt.statistic(m.t2Limit) + ", Q " + Fmt.statistic(m.qLimit) + "\n"
    let rate = m.detected > 0 ? Double(m.exceedances) / Double(m.detected) * 100 : 0
    s +=
      "  beyond a limit \(m.exceedances) (\(Fmt.fixed(rate, 2)) %); alarm (\(o.alarmCount) of \(o.window)) on for \(m.alarmSamples) samples in \(episodes) episode\(episodes == 1 ? "" : "s")"
    s += o.adaptRate > 0 ? "; adapted on \(m.adaptations)\n" : "\n"
    return s
  }
}

extension Fmt {
  /// A statistic for a CSV row: the shortest float32 text when it fits float32, else
  /// scientific (a T² far beyond any limit is still a finite number).
  static func statistic(_ v: Double) -> String {
    Swift.abs(v) <= Double(Float.greatestFiniteMagnitude) ? shortest(Float(v)) : sci(v, 6)
  }

}

/// T² and Q relative to their limits over the stream, kept in at most `capacity` buckets
/// (each the largest ratio of its samples and whether any had the alarm on): when the buckets
/// fill, neighbours merge and each covers twice the samples, so memory stays bounded however
/// long the stream.
struct MonitorTrace {
  static let capacity = 1024
  var t2: [Double] = []
  var q: [Double] = []
  var alarm: [Bool] = []
  var first: Int64 = -1
  var width: Int64 = 1
  var filling = 0

  mutating func add(_ r: NoveltyMonitor.Reading, at id: Int64) {
    if first < 0 { first = id }
    let t = r.t2 / r.t2Limit
    let qr = r.q / r.qLimit
    if filling > 0 {
      t2[t2.count - 1] = Swift.max(t2[t2.count - 1], t)
      q[q.count - 1] = Swift.max(q[q.count - 1], qr)
      alarm[alarm.count - 1] = alarm[alarm.count - 1] || r.alarm
    } else {
      if t2.count == Self.capacity { merge() }
      t2.append(t)
      q.append(qr)
      alarm.append(r.alarm)
    }
    filling += 1
    if Int64(filling) == width { filling = 0 }
  }

  mutating func merge() {
    var i = 0
    while 2 * i + 1 < t2.count {
      t2[i] = Swift.max(t2[2 * i], t2[2 * i + 1])
      q[i] = Swift.max(q[2 * i], q[2 * i + 1])
      alarm[i] = alarm[2 * i] || alarm[2 * i + 1]
      i += 1
    }
    t2.removeLast(t2.count - i)
    q.removeLast(q.count - i)
    alarm.removeLast(alarm.count - i)
    width *= 2
  }

  func svg() -> String {
    var t2Points: [(x: Double, y: Double)] = []
    var qPoints: [(x: Double, y: Double)] = []
    for i in 0..<t2.count {
      let x = Double(first) + Double(Int64(i) * width)
      t2Points.append((x, Swift.max(t2[i], 1e-6)))
      qPoints.append((x, Swift.max(q[i], 1e-6)))
    }
    var spans: [(Double, Double)] = []
    var i = 0
    while i < alarm.count {
      if alarm[i] {
        var j = i
        while j + 1 < alarm.count && alarm[j + 1] { j += 1 }
        spans.append(
          (Double(first) + Double(Int64(i) * width), Double(first) + Double(Int64(j + 1) * width)))
        i = j + 1
      } else {
        i += 1
      }
    }
    let limit = [(Double(first), 1.0), (Double(first) + Double(Int64(t2.count) * width), 1.0)]
    return SVGPlot.render(
      title: "novelty monitor: statistics over their limits", xLabel: "sample",
      yLabel: "statistic / limit",
      series: [
        .init(name: "T2 / limit", points: t2Points), .init(name: "Q / limit", points: qPoints),
        .init(name: "limit", points: limit.map { (x: $0.0, y: $0.1) }),
      ], logY: true, shaded: spans)
  }
}
