import CHebbianSys

/// Streams samples of a fixed dimension from a CSV or raw little-endian float32 file (or
/// stdin, "-"), in fixed-size chunks: memory does not depend on the stream length.
///
/// CSV: comma-separated numbers, one sample per line; blank lines and lines starting with `#`
/// are skipped; an optional header (a first line none of whose fields is a number) is
/// skipped. Errors name `file:line:column` (column = 1-based byte position in the line).
/// f32: row-major float32; errors name `file:sample:value` in the same three-part form.
/// NaN and infinities are rejected in both formats.
struct SampleReader: ~Copyable {
  enum Format: Equatable {
    case csv, f32

    /// `f32` for a `.f32` (or `.bin`) extension, CSV otherwise.
    static func guess(_ path: String) -> Format {
      path.hasSuffix(".f32") || path.hasSuffix(".bin") ? .f32 : .csv
    }
  }

  let path: String
  let format: Format
  /// Values per sample. For CSV read with `dimension: nil` it is taken from the first line.
  private(set) var dimension: Int
  /// Samples returned so far.
  private(set) var samples: Int = 0
  /// 1-based line of the last sample returned (CSV) or its sample number (f32).
  private(set) var line: Int = 0
  /// Whether a header line was skipped.
  private(set) var hadHeader = false

  private var file: InputFile
  private var buffer: [UInt8]
  private var start = 0
  private var end = 0
  private var atEOF = false
  private var lineNumber = 0
  private var sawData = false
  // Values of the current CSV line (capacity = dimension after the first line), and whether
  // it holds a sample that prime() read ahead.
  private var row: [Float] = []
  private var pending = false
  private static let maxLine = 1 << 20

  /// `dimension: nil` (CSV only) takes it from the first line.
  init(path: String, format: Format, dimension: Int?, chunkBytes: Int = 1 << 16) throws(CLIError) {
    if format == .f32 && dimension == nil {
      throw .usage("--dim is required for f32 input")
    }
    if let d = dimension, d < 1 { throw .usage("--dim: must be >= 1, got \(d)") }
    let opened = try InputFile(path: path)
    file = opened
    self.path = path
    self.format = format
    self.dimension = dimension ?? 0
    buffer = [UInt8](repeating: 0, count: Swift.max(chunkBytes, 64))
  }

  var displayName: String { path == "-" ? "<stdin>" : path }

  private func error(_ line: Int, _ column: Int, _ message: String) -> CLIError {
    .data("\(displayName):\(line):\(column): \(message)")
  }

  /// Reads the next sample into `x` (``dimension`` values). Returns false at the end of the
  /// stream; throws on malformed input, and on an input that holds no sample at all.
  mutating func next(into x: UnsafeMutablePointer<Float>) throws(CLIError) -> Bool {
    let got = format == .csv ? try nextCSV(x) : try nextF32(x)
    if got {
      samples += 1
    } else if samples == 0 {
      throw .data("\(displayName):\(Swift.max(lineNumber, 1)):1: empty input: no samples")
    }
    return got
  }

  /// Ensures at least `n` unread bytes, or as many as remain; returns the unread count.
  private mutating func fill(_ n: Int) throws(CLIError) -> Int {
    while end - start < n && !atEOF {
      if start > 0 {
        let rest = end - start
        if rest > 0 {
          buffer.withUnsafeMutableBufferPointer { b in
            let base = b.baseAddress!
            base.update(from: base + start, count: rest)
          }
        }
        start = 0
        end = rest
      }
      if end == buffer.count {
        if buffer.count >= Self.maxLine {
          throw error(lineNumber + 1, 1, "line longer than \(Self.maxLine) bytes")
        }
        buffer.append(contentsOf: [UInt8](repeating: 0, count: buffer.count))
      }
      let fd = file.fd
      let at = end
      let r = buffer.withUnsafeMutableBytes { raw in
        hb_sys_read(fd, raw.baseAddress! + at, raw.count - at)
      }
      if r < 0 { throw .data(Files.errno(Int(r), displayName)) }
      let got = Int(r)
      if got == 0 { atEOF = true }
      end += got
    }
    return end - start
  }

  private mutating func nextF32(_ x: UnsafeMutablePointer<Float>) throws(CLIError) -> Bool {
    let bytes = dimension * 4
    let have = try fill(bytes)
    if have == 0 { return false }
    if have < bytes {
      throw error(samples + 1, have / 4 + 1,
        "truncated: \(have) trailing bytes, not a whole sample of \(dimension) float32 values")
    }
    lineNumber = samples + 1
    line = lineNumber
    let at = start
    let d = dimension
    let bad = buffer.withUnsafeBytes { raw -> Int in
      for j in 0..<d {
        // Little-endian on every supported target; loadUnaligned because chunk offsets are
        // byte offsets.
        let v = raw.loadUnaligned(fromByteOffset: at + 4 * j, as: Float.self)
        if !v.isFinite { return j }
        x[j] = v
      }
      return -1
    }
    if bad >= 0 { throw error(lineNumber, bad + 1, "NaN or infinity") }
    start += bytes
    return true
  }

  /// Learns the dimension of a CSV read without one, by parsing its first sample (which
  /// ``next(into:)`` then returns first). Returns the dimension.
  mutating func prime() throws(CLIError) -> Int {
    if dimension == 0 && !pending {
      if try nextCSVLine() {
        pending = true
      } else {
        throw .data("\(displayName):\(Swift.max(lineNumber, 1)):1: empty input: no samples")
      }
    }
    return dimension
  }

  private mutating func nextCSV(_ x: UnsafeMutablePointer<Float>) throws(CLIError) -> Bool {
    if !pending {
      if try !nextCSVLine() { return false }
    }
    pending = false
    for j in 0..<dimension { x[j] = row[j] }
    return true
  }

  private mutating func nextCSVLine() throws(CLIError) -> Bool {
    while true {
      // Find the end of the next line, reading more as needed.
      var scanned = 0
      var newline = -1
      while newline < 0 {
        let have = end - start
        let found = buffer.withUnsafeBufferPointer { b -> Int in
          var i = start + scanned
          while i < end {
            if b[i] == 10 { return i }
            i += 1
          }
          return -1
        }
        if found >= 0 {
          newline = found
        } else {
          scanned = have
          if atEOF { break }
          _ = try fill(have + 1)
          if end - start == have && atEOF { break }
        }
      }
      if start == end && newline < 0 { return false }
      let lineEnd = newline >= 0 ? newline : end
      let lineStart = start
      start = newline >= 0 ? newline + 1 : end
      lineNumber += 1
      if try parseLine(lineStart, lineEnd) { return true }
    }
  }

  /// Parses one line into `row`; false for blank, comment and header lines.
  private mutating func parseLine(_ from: Int, _ to: Int) throws(CLIError) -> Bool {
    var stop = to
    if stop > from && buffer[stop - 1] == 13 { stop -= 1 }  // CRLF
    var first = from
    while first < stop && (buffer[first] == 32 || buffer[first] == 9) { first += 1 }
    if first == stop || buffer[first] == 35 { return false }  // blank or '#'
    let ln = lineNumber
    let headerCandidate = !sawData
    var count = 0
    var numeric = 0
    var firstBad: (column: Int, text: String, code: Int32)? = nil
    var i = from
    while true {
      var fieldEnd = i
      while fieldEnd < stop && buffer[fieldEnd] != 44 { fieldEnd += 1 }
      var s = i
      var e = fieldEnd
      while s < e && (buffer[s] == 32 || buffer[s] == 9) { s += 1 }
      while e > s && (buffer[e - 1] == 32 || buffer[e - 1] == 9) { e -= 1 }
      if dimension > 0 && count == dimension && !(headerCandidate && numeric == 0) {
        var total = count + 1
        for j in fieldEnd..<stop where buffer[j] == 44 { total += 1 }
        throw error(ln, s - from + 1, "expected \(dimension) fields, got \(total)")
      }
      var value: Float = 0
      let code: Int32 =
        e > s
        ? buffer.withUnsafeBufferPointer { b in
          b.baseAddress!.withMemoryRebound(to: CChar.self, capacity: b.count) {
            hb_sys_parse_f32($0 + s, e - s, &value)
          }
        } : 1
      if code == 0 {
        numeric += 1
        if count < row.count { row[count] = value } else { row.append(value) }
      } else if firstBad == nil {
        firstBad = (s - from + 1, String(decoding: buffer[s..<e], as: UTF8.self), code)
      }
      count += 1
      if fieldEnd >= stop { break }
      i = fieldEnd + 1
    }
    if let bad = firstBad {
      if headerCandidate && numeric == 0 && !Self.looksNonFinite(bad.text) {
        if dimension == 0 {
          dimension = count
        } else if count != dimension {
          throw error(ln, 1, "header has \(count) fields, expected \(dimension)")
        }
        sawData = true
        hadHeader = true
        return false
      }
      if bad.code == 2 || Self.looksNonFinite(bad.text) {
        throw error(ln, bad.column, "'\(bad.text)': NaN, infinity or out of float range")
      }
      throw error(
        ln, bad.column, bad.text.isEmpty ? "empty field" : "expected a number, got '\(bad.text)'")
    }
    if dimension == 0 { dimension = count }
    if count != dimension {
      throw error(ln, stop - from + 1, "expected \(dimension) fields, got \(count)")
    }
    sawData = true
    line = ln
    return true
  }

  /// "nan…" or "inf…" with an optional sign, in any ASCII case (no Unicode case tables,
  /// which would triple the size of the board binary).
  static func looksNonFinite(_ text: String) -> Bool {
    var bytes = Array(text.utf8.prefix(4))
    if let f = bytes.first, f == 43 || f == 45 { bytes.removeFirst() }
    guard bytes.count >= 3 else { return false }
    let lower = bytes.prefix(3).map { $0 | 0x20 }
    return lower == Array("nan".utf8) || lower == Array("inf".utf8)
  }
}
