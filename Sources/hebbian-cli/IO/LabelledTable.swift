import CHebbianSys
import Hebbian

/// A whole labelled CSV in memory: the samples of a supervised comparison, where every row is
/// visited many times. Values are parsed by ``SampleReader`` (same errors, `file:line:column`);
/// the label column is found by its header name or its 1-based number.
struct LabelledTable {
  /// rows × dimension, row-major, the label column left out.
  var features: [Float] = []
  var labels: [Float] = []
  var dimension = 0
  var labelName = ""

  /// At most this many values in memory (256 MiB of floats).
  static let maxValues = 1 << 26

  static func read(path: String, labelColumn: String) throws(CLIError) -> LabelledTable {
    if path.isBytes("-") {
      throw .usage("--input: competing needs a file (it reads the data twice)")
    }
    guard let first = try firstLine(path) else {
      throw .data("\(path):1:1: empty input: no samples")
    }
    let columns = first.fields.count
    if columns < 2 { throw .data("\(path): need a label column and at least one feature") }
    var label = -1
    if let n = Int64(labelColumn) {
      // 64-bit, so a 32-bit board words a huge number as the host does.
      if n < 1 || n > Int64(columns) {
        throw .usage("--label-column: \(n) is outside 1…\(columns) (the file's columns)")
      }
      label = Int(n) - 1
    } else if first.isHeader, let i = first.fields.firstIndex(where: { $0.isBytes(labelColumn) }) {
      label = i
    } else {
      throw .usage(
        "--label-column: no column named '\(ParsedOptions.excerpt(labelColumn))' in the header of \(path)"
          + (first.isHeader ? "" : " (the file has no header; give a 1-based number)"))
    }
    // The label is read verbatim (as an id column) and parsed here, so a text label is named
    // as a label, not as a feature that is not a number.
    var reader = try SampleReader(
      path: path, format: .csv, dimension: nil, csv: SampleReader.CSVOptions(idColumn: label))
    let d = try reader.prime()
    var t = LabelledTable()
    t.dimension = d
    t.labelName = first.isHeader ? first.fields[label] : String(label + 1)
    var row = [Float](repeating: 0, count: d)
    while try row.withUnsafeMutableBufferPointer({ (b) throws(CLIError) -> Bool in
      try reader.next(into: b.baseAddress!)
    }) {
      if t.features.count + columns > maxValues {
        throw .data("\(path): more than \(maxValues) values; too large to hold in memory")
      }
      t.features.append(contentsOf: row)
      let text = String(decoding: reader.id, as: UTF8.self)
      guard let v = parseNumber(text) else {
        throw .data(
          "\(path):\(reader.line):\(label + 1): label '\(ParsedOptions.excerpt(text))' is not a number: competing needs numeric class labels (0, 1, 2, ...)"
        )
      }
      if v != v.rounded() || Swift.abs(v) > 1e6 {
        throw .data(
          "\(path):\(reader.line):\(label + 1): label \(ParsedOptions.excerpt(text)) is not a whole number up to 1e6")
      }
      t.labels.append(Float(v))
    }
    return t
  }

  static func parseNumber(_ s: String) -> Double? {
    var v = 0.0
    var text = s
    let rc = text.withUTF8 { buf in
      buf.withMemoryRebound(to: CChar.self) { hb_sys_parse_f64($0.baseAddress, $0.count, &v) }
    }
    return rc == 0 && !s.isEmpty && v.isFinite ? v : nil
  }

  static func isNumber(_ text: String) -> Bool {
    var v = 0.0
    let rc = text.utf8.withContiguousStorageIfAvailable { buf in
      buf.withMemoryRebound(to: CChar.self) { hb_sys_parse_f64($0.baseAddress, $0.count, &v) }
    }
    return rc == 0 && !text.isEmpty
  }

  /// The first non-comment line's fields, and whether it is a header (none of its fields is
  /// a number); nil for an input without one.
  static func firstLine(_ path: String) throws(CLIError) -> (fields: [String], isHeader: Bool)? {
    var file = try InputFile(path: path)
    var chunk = [UInt8](repeating: 0, count: 1 << 16)
    var line: [UInt8] = []
    var found = false
    reading: while true {
      let n = try file.read(into: &chunk)
      if n == 0 { break }
      for b in chunk[0..<n] {
        if b == UInt8(ascii: "\n") {
          let text = line.filter { $0 != UInt8(ascii: "\r") }
          if text.isEmpty || text.first == UInt8(ascii: "#") {
            line.removeAll()
            continue
          }
          found = true
          break reading
        }
        line.append(b)
        if line.count > 1 << 20 { break reading }
      }
    }
    if !found && line.filter({ $0 != 32 && $0 != 9 && $0 != 13 }).isEmpty { return nil }
    var fields: [String] = []
    var header = true
    let delimiter = SampleReader.detectDelimiter(line[...])
    for f in line.split(separator: delimiter, omittingEmptySubsequences: false) {
      // Spaces, tabs and quotes trimmed as bytes (Character comparisons would link the
      // Unicode tables); a CR only at the end.
      func blank(_ b: UInt8) -> Bool { b == 32 || b == 9 || b == 34 }
      var s = f
      while let b = s.first, blank(b) { s = s.dropFirst() }
      while let b = s.last, blank(b) || b == 13 { s = s.dropLast() }
      let text = String(decoding: s, as: UTF8.self)
      if isNumber(text) { header = false }
      fields.append(text)
    }
    return (fields, header)
  }
}
