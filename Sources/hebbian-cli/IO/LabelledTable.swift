import CHebbianSys

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
    if path == "-" { throw .usage("--input: competing needs a file (it reads the data twice)") }
    let header = try headerFields(path)
    var reader = try SampleReader(path: path, format: .csv, dimension: nil)
    let columns = try reader.prime()
    if columns < 2 { throw .data("\(path): need a label column and at least one feature") }
    var label = -1
    if let n = Int(labelColumn) {
      if n < 1 || n > columns {
        throw .usage("--label-column: \(n) is outside 1…\(columns) (the file's columns)")
      }
      label = n - 1
    } else if let fields = header, let i = fields.firstIndex(of: labelColumn) {
      label = i
    } else {
      throw .usage(
        "--label-column: no column named '\(labelColumn)' in the header of \(path)"
          + (header == nil ? " (the file has no header; give a 1-based number)" : ""))
    }
    var t = LabelledTable()
    t.dimension = columns - 1
    t.labelName = header.map { $0[label] } ?? String(label + 1)
    var row = [Float](repeating: 0, count: columns)
    while try row.withUnsafeMutableBufferPointer({ (b) throws(CLIError) -> Bool in
      try reader.next(into: b.baseAddress!)
    }) {
      if t.features.count + columns > maxValues {
        throw .data("\(path): more than \(maxValues) values; too large to hold in memory")
      }
      for j in 0..<columns where j != label { t.features.append(row[j]) }
      let v = row[label]
      if v != v.rounded() {
        throw .data("\(path):\(reader.line):\(label + 1): label \(v) is not a whole number")
      }
      t.labels.append(v)
    }
    return t
  }

  static func isNumber(_ s: Substring) -> Bool {
    var v = 0.0
    let text = String(s)
    let rc = text.utf8.withContiguousStorageIfAvailable { buf in
      buf.withMemoryRebound(to: CChar.self) { hb_sys_parse_f64($0.baseAddress, $0.count, &v) }
    }
    return rc == 0 && !s.isEmpty
  }

  /// The first non-comment line's fields, when none of them is a number (a header).
  static func headerFields(_ path: String) throws(CLIError) -> [String]? {
    var file = try InputFile(path: path)
    var chunk = [UInt8](repeating: 0, count: 1 << 16)
    var line: [UInt8] = []
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
          break reading
        }
        line.append(b)
        if line.count > 1 << 20 { break reading }
      }
    }
    var fields: [String] = []
    for f in line.split(separator: UInt8(ascii: ","), omittingEmptySubsequences: false) {
      var s = Substring(String(decoding: f, as: UTF8.self))
      while s.first == " " || s.first == "\t" || s.first == "\"" { s = s.dropFirst() }
      while s.last == " " || s.last == "\t" || s.last == "\r" || s.last == "\"" { s = s.dropLast() }
      if isNumber(s) { return nil }
      fields.append(String(s))
    }
    return fields
  }
}
