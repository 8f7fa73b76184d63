import CHebbianSys

/// Output for the CLI: stdout for results, stderr for progress and errors. Works the same in
/// hosted and Embedded builds (no Foundation, no float `description`).
enum Console {
  /// `--quiet` on the command line being run: stderr then carries errors only. Set once per
  /// command by ``HebbianMain``, before the command runs.
  nonisolated(unsafe) static var quiet = false

  static func out(_ s: String) { write(1, s) }
  /// Progress, summaries and warnings on stderr (nothing under `--quiet`).
  static func err(_ s: String) { if !quiet { write(2, escaped(s, keepNewlines: true)) } }
  static func outLine(_ s: String) { write(1, s + "\n") }
  /// One line of progress or a warning on stderr (nothing under `--quiet`).
  static func errLine(_ s: String) {
    if !quiet { write(2, escaped(s, keepNewlines: false) + "\n") }
  }
  /// An error: always printed, as one line.
  static func errorLine(_ s: String) { write(2, escaped(s, keepNewlines: false) + "\n") }

  /// `s` with its control characters spelled out (`\r`, `\0`, `\x1b`, …; tabs kept): a
  /// message quotes file names, fields and model kinds as they are, and a CR, NUL or escape
  /// sequence among them must not rewrite or hide the terminal's line. The one place every
  /// line on stderr passes through.
  static func escaped(_ s: String, keepNewlines: Bool) -> String {
    let bytes = Array(s.utf8)
    func isControl(_ b: UInt8) -> Bool {
      (b < 0x20 && b != 9 && !(keepNewlines && b == 10)) || b == 0x7F
    }
    guard bytes.contains(where: isControl) else { return s }
    var out: [UInt8] = []
    out.reserveCapacity(bytes.count + 8)
    let hex = Array("0123456789abcdef".utf8)
    for b in bytes {
      if !isControl(b) {
        out.append(b)
        continue
      }
      out.append(92)  // backslash
      switch b {
      case 0: out.append(48)  // \0
      case 10: out.append(110)  // \n
      case 13: out.append(114)  // \r
      default: out += [120, hex[Int(b >> 4)], hex[Int(b & 15)]]  // \xNN
      }
    }
    return String(decoding: out, as: UTF8.self)
  }

  static func write(_ fd: Int32, _ s: String) {
    var s = s
    s.withUTF8 { buf in _ = hb_sys_write_all(fd, buf.baseAddress, buf.count) }
  }
}

/// Float formatting (Embedded Swift cannot print Float or Double).
extension Console {
  /// A progress line on stderr, unless the command line says `--quiet` (results and errors
  /// are not progress and always print).
  static func progress(_ o: ParsedOptions, _ line: String) {
    if !o.has(.quiet) { errLine(line) }
  }
}

enum Fmt {
  /// Fixed-point, `digits` after the point.
  static func fixed(_ x: Double, _ digits: Int) -> String {
    withBuffer { hb_sys_format_fixed(x, Int32(digits), $0, 64) }
  }
  static func fixed(_ x: Float, _ digits: Int) -> String { fixed(Double(x), digits) }

  /// Scientific, `digits` after the point: 1.234e-05.
  static func sci(_ x: Double, _ digits: Int) -> String {
    withBuffer { hb_sys_format_sci(x, Int32(digits), $0, 64) }
  }
  static func sci(_ x: Float, _ digits: Int) -> String { sci(Double(x), digits) }

  /// Shortest text that reads back to the same Float (for CSV output).
  static func shortest(_ x: Float) -> String {
    withBuffer { hb_sys_format_f32(x, $0) }
  }

  /// A bound or an estimate in a message: an integer as its digits, anything else in the
  /// shortest float32 text (the same on every target).
  static func number(_ x: Double) -> String {
    if x == x.rounded() && Swift.abs(x) < 1e15 { return String(Int64(x)) }
    return shortest(Float(x))
  }

  /// A rate with a unit that fits it: "3.42 M samples/s", "12.5 k samples/s", "98.0 samples/s".
  static func rate(_ perSecond: Double, _ unit: String) -> String {
    if perSecond >= 1e6 { return fixed(perSecond / 1e6, 2) + " M " + unit }
    if perSecond >= 1e3 { return fixed(perSecond / 1e3, 1) + " k " + unit }
    return fixed(perSecond, 1) + " " + unit
  }

  /// Right-aligns `s` in a field of `width` characters.
  static func pad(_ s: String, _ width: Int) -> String {
    let n = s.utf8.count
    return n >= width ? s : String(repeating: " ", count: width - n) + s
  }

  /// Left-aligns `s` in a field of `width` characters.
  static func padRight(_ s: String, _ width: Int) -> String {
    let n = s.utf8.count
    return n >= width ? s : s + String(repeating: " ", count: width - n)
  }

  private static func withBuffer(_ body: (UnsafeMutablePointer<CChar>) -> Int) -> String {
    let buf = UnsafeMutablePointer<CChar>.allocate(capacity: 64)
    defer { buf.deallocate() }
    let n = body(buf)
    return buf.withMemoryRebound(to: UInt8.self, capacity: n) {
      String(decoding: UnsafeBufferPointer(start: $0, count: n), as: UTF8.self)
    }
  }
}

func exitProcess(_ code: Int32) -> Never { hb_sys_exit(code) }
