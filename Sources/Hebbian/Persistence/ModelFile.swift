/// The one binary format for models and checkpoints of every learner.
///
/// Layout (all integers little-endian):
///
///     "HEBBMODL"                      8-byte magic
///     u32 version                     ``ModelFile/currentVersion``
///     str kind                        learner kind, e.g. "pca.gha"
///     u32 n, i64 × n                  shapes (e.g. dimension, components)
///     u32 n, (str, f64) × n           hyper-parameters and schedule state
///     u32 n, (str, u64) × n           counters: samples seen, pass, stream offset, …
///     u32 n, (str, u64 count, f32 × count) × n   payload arrays
///     u32 crc32                       CRC-32 of every byte before it
///
/// where `str` is a u16 byte length followed by UTF-8. Decoding checks the magic, the version,
/// every declared length against the bytes that remain (so a corrupted size cannot trigger a
/// huge allocation) and the CRC, and says which check failed.
public struct ModelFile: Equatable {
  public static let magic: [UInt8] = Array("HEBBMODL".utf8)
  public static let currentVersion: UInt32 = 1

  public var kind: String
  public var shapes: [Int]
  public var parameters: [Parameter]
  public var counters: [Counter]
  public var arrays: [FloatArray]

  /// One named field of a section: a hyper-parameter, a counter or a payload array.
  public struct Entry<Value: Equatable>: Equatable {
    public var name: String
    public var value: Value
    public init(_ name: String, _ value: Value) {
      self.name = name
      self.value = value
    }
  }

  public typealias Parameter = Entry<Double>
  public typealias Counter = Entry<UInt64>
  public typealias FloatArray = Entry<[Float]>

  public init(
    kind: String, shapes: [Int], parameters: [Parameter] = [], counters: [Counter] = [],
    arrays: [FloatArray] = []
  ) {
    self.kind = kind
    self.shapes = shapes
    self.parameters = parameters
    self.counters = counters
    self.arrays = arrays
  }

  // MARK: Lookup with errors that name what is missing

  public func parameter(_ name: String) throws(HebbianError) -> Double {
    try Self.find(name, "parameter", in: parameters)
  }

  public func counter(_ name: String) throws(HebbianError) -> UInt64 {
    try Self.find(name, "counter", in: counters)
  }

  /// The named array, checked to hold exactly `count` values.
  public func array(_ name: String, count: Int) throws(HebbianError) -> [Float] {
    let values = try Self.find(name, "array", in: arrays)
    guard values.count == count else {
      throw .format("model file: array '\(name)' has \(values.count) values, expected \(count)")
    }
    return values
  }

  private static func find<V>(_ name: String, _ section: String, in entries: [Entry<V>])
    throws(HebbianError) -> V
  {
    guard let e = entries.first(where: { $0.name.isBytes(name) }) else {
      throw .format("model file: missing \(section) '\(name)'")
    }
    return e.value
  }

  /// Throws unless the file holds a `kind` model.
  public func expect(kind: String) throws(HebbianError) {
    guard self.kind.isBytes(kind) else {
      throw .format("model file holds a '\(self.kind)' model, expected '\(kind)'")
    }
  }

  /// The shapes, checked to be as many as `names` (which the error lists).
  public func shapes(named names: [String]) throws(HebbianError) -> [Int] {
    guard shapes.count == names.count else {
      var list = ""
      for (i, n) in names.enumerated() { list += (i == 0 ? "" : ", ") + n }
      throw .format(
        "model file has \(shapes.count) shape entries, expected \(names.count) (\(list))")
    }
    return shapes
  }

  /// Throws unless the file is of `kind` with exactly these shapes (the command line's).
  public func expect(kind: String, shapes: [Int], shapeNames: [String]) throws(HebbianError) {
    try expect(kind: kind)
    guard self.shapes.count == shapes.count else {
      throw .format("model file has \(self.shapes.count) shape entries, expected \(shapes.count)")
    }
    for i in 0..<shapes.count where self.shapes[i] != shapes[i] {
      let name = i < shapeNames.count ? shapeNames[i] : "shape[\(i)]"
      throw .format("model file \(name) is \(self.shapes[i]), the command line says \(shapes[i])")
    }
  }

  // MARK: Encoding

  public func encoded() -> [UInt8] {
    var out: [UInt8] = []
    var reserve = 64 + kind.utf8.count + shapes.count * 8
    for a in arrays { reserve += 16 + a.name.utf8.count + a.values.count * 4 }
    out.reserveCapacity(reserve)
    out.append(contentsOf: Self.magic)
    put32(&out, Self.currentVersion)
    putString(&out, kind)
    put32(&out, UInt32(shapes.count))
    for s in shapes { put64(&out, UInt64(bitPattern: Int64(s))) }
    putEntries(&out, parameters) { put64(&$0, $1.bitPattern) }
    putEntries(&out, counters) { put64(&$0, $1) }
    putEntries(&out, arrays) { out, values in
      put64(&out, UInt64(values.count))
      for v in values { put32(&out, v.bitPattern) }
    }
    put32(&out, CRC32.checksum(out))
    return out
  }

  private func putEntries<V>(
    _ out: inout [UInt8], _ entries: [Entry<V>], _ value: (inout [UInt8], V) -> Void
  ) {
    put32(&out, UInt32(entries.count))
    for e in entries {
      putString(&out, e.name)
      value(&out, e.value)
    }
  }

  private func put32(_ out: inout [UInt8], _ v: UInt32) {
    for i in 0..<4 { out.append(UInt8(truncatingIfNeeded: v >> (8 * UInt32(i)))) }
  }
  private func put64(_ out: inout [UInt8], _ v: UInt64) {
    for i in 0..<8 { out.append(UInt8(truncatingIfNeeded: v >> (8 * UInt64(i)))) }
  }
  private func putString(_ out: inout [UInt8], _ s: String) {
    let bytes = Array(s.utf8.prefix(Int(UInt16.max)))
    out.append(UInt8(bytes.count & 0xFF))
    out.append(UInt8(bytes.count >> 8))
    out.append(contentsOf: bytes)
  }

  // MARK: Decoding

  /// Bytes of the fixed header (magic and version), enough for ``checkHeader(_:)``.
  public static let headerBytes = 12

  /// Checks the first bytes of a file (at least ``headerBytes`` of it, fewer at its end): a
  /// reader calls this before it reads the body, so a file that is not a model (a device, a
  /// data file named by mistake) is refused after a dozen bytes, with the decoder's words.
  public static func checkHeader(_ prefix: [UInt8]) throws(HebbianError) {
    guard prefix.count >= magic.count, Array(prefix[0..<magic.count]) == magic else {
      throw .format("not a hebbian model file (bad magic)")
    }
    guard prefix.count >= headerBytes else {
      throw .format(
        "model file truncated: format version needs 4 bytes at offset 8, \(prefix.count - 8) remain"
      )
    }
    var version: UInt32 = 0
    for i in 0..<4 { version |= UInt32(prefix[8 + i]) << (8 * UInt32(i)) }
    guard version == currentVersion else {
      throw .format(
        "unsupported model format version \(version) (this build reads \(currentVersion))")
    }
  }

  /// Decodes and validates `bytes`. Errors say exactly what is wrong: not a model file,
  /// unknown version, truncated (and where), bad CRC, malformed field.
  public init(decoding bytes: [UInt8]) throws(HebbianError) {
    var r = Reader(bytes: bytes)
    guard bytes.count >= Self.magic.count, Array(bytes[0..<Self.magic.count]) == Self.magic else {
      throw .format("not a hebbian model file (bad magic)")
    }
    r.offset = Self.magic.count
    let version = try r.u32("format version")
    guard version == Self.currentVersion else {
      throw .format(
        "unsupported model format version \(version) (this build reads \(Self.currentVersion))")
    }
    // The CRC is checked before the fields are trusted, but after the version so an old or
    // future file gets the more useful message.
    guard bytes.count >= Self.magic.count + 8 else {
      throw .format("model file truncated: \(bytes.count) bytes")
    }
    let stored =
      UInt32(bytes[bytes.count - 4]) | UInt32(bytes[bytes.count - 3]) << 8
      | UInt32(bytes[bytes.count - 2]) << 16 | UInt32(bytes[bytes.count - 1]) << 24
    var crc = CRC32()
    bytes.withUnsafeBytes {
      crc.update(UnsafeRawBufferPointer(rebasing: $0[0..<(bytes.count - 4)]))
    }
    r.end = bytes.count - 4
    if crc.checksum != stored {
      throw .format(
        "model file corrupted or truncated: CRC mismatch (stored \(hex(stored)), computed \(hex(crc.checksum)))"
      )
    }
    kind = try r.string("kind")
    let nShapes = try r.count("shape count", elementBytes: 8)
    shapes = []
    for _ in 0..<nShapes {
      let v = Int64(bitPattern: try r.u64("shape"))
      guard v >= 0 && v <= Int64(Int32.max) else { throw .format("model file: invalid shape \(v)") }
      shapes.append(Int(v))
    }
    parameters = try r.entries("parameter") { (r, name) throws(HebbianError) in
      Double(bitPattern: try r.u64("parameter \(name)"))
    }
    counters = try r.entries("counter") { (r, name) throws(HebbianError) in
      try r.u64("counter \(name)")
    }
    arrays = try r.entries("array") { (r, name) throws(HebbianError) in
      let n = try r.u64("array \(name) length")
      guard n <= UInt64((r.end - r.offset) / 4) else {
        throw .format(
          "model file: array '\(name)' declares \(n) values but only \(r.end - r.offset) bytes remain"
        )
      }
      var values = [Float](repeating: 0, count: Int(n))
      for i in 0..<Int(n) { values[i] = Float(bitPattern: try r.u32("array \(name)")) }
      return values
    }
    guard r.offset == r.end else {
      throw .format("model file: \(r.end - r.offset) unexpected bytes before the checksum")
    }
  }

  private struct Reader {
    let bytes: [UInt8]
    var offset = 0
    var end: Int

    init(bytes: [UInt8]) {
      self.bytes = bytes
      end = bytes.count
    }

    mutating func take(_ n: Int, _ what: String) throws(HebbianError) -> Int {
      guard n <= end - offset else {
        throw .format(
          "model file truncated: \(what) needs \(n) bytes at offset \(offset), \(max(0, end - offset)) remain"
        )
      }
      defer { offset += n }
      return offset
    }

    mutating func u32(_ what: String) throws(HebbianError) -> UInt32 {
      let at = try take(4, what)
      var v: UInt32 = 0
      for i in 0..<4 { v |= UInt32(bytes[at + i]) << (8 * UInt32(i)) }
      return v
    }

    mutating func u64(_ what: String) throws(HebbianError) -> UInt64 {
      let at = try take(8, what)
      var v: UInt64 = 0
      for i in 0..<8 { v |= UInt64(bytes[at + i]) << (8 * UInt64(i)) }
      return v
    }

    mutating func string(_ what: String) throws(HebbianError) -> String {
      let at = try take(2, what)
      let n = Int(bytes[at]) | Int(bytes[at + 1]) << 8
      let start = try take(n, what)
      return String(decoding: bytes[start..<(start + n)], as: UTF8.self)
    }

    /// A section: a count, then that many uniquely named values read by `value`.
    mutating func entries<V>(
      _ section: String, _ value: (inout Reader, String) throws(HebbianError) -> V
    ) throws(HebbianError) -> [Entry<V>] {
      let n = try count("\(section) count", elementBytes: 10)
      var list: [Entry<V>] = []
      for _ in 0..<n {
        let name = try string("\(section) name")
        if list.contains(where: { $0.name.isBytes(name) }) {
          throw .format("model file: \(section) '\(name)' appears twice")
        }
        list.append(Entry(name, try value(&self, name)))
      }
      return list
    }

    /// An element count, checked against the bytes left so a corrupted count fails cleanly.
    mutating func count(_ what: String, elementBytes: Int) throws(HebbianError) -> Int {
      let n = Int(try u32(what))
      guard n <= (end - offset) / elementBytes else {
        throw .format("model file: \(what) \(n) exceeds the \(end - offset) bytes that remain")
      }
      return n
    }
  }
}

private func hex(_ v: UInt32) -> String {
  let digits: [Character] = [
    "0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "a", "b", "c", "d", "e", "f",
  ]
  var s = "0x"
  for i in (0..<8).reversed() { s.append(digits[Int((v >> (4 * UInt32(i))) & 0xF)]) }
  return s
}

extension ModelFile.Entry where Value == [Float] {
  /// The payload of an array entry.
  public var values: [Float] {
    get { value }
    set { value = newValue }
  }
}
