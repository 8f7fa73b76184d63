import CHebbian
import CHebbianSys
import Hebbian

/// Streams samples of a fixed dimension from a CSV or raw little-endian float32 file (or
/// stdin, "-"), in fixed-size chunks: memory does not depend on the stream length.
///
/// CSV: numbers separated by `,`, `;` or tabs (detected from the first line that is not blank
/// or a comment, or given in ``CSVOptions``), one sample per line; blank lines and lines
/// starting with `#` are skipped; a UTF-8 byte-order mark is skipped; an optional header (a
/// first line none of whose feature fields is a number, an out-of-range number, NaN or an
/// infinity) is skipped. ``CSVOptions`` can pick the feature columns and an id column read
/// verbatim. Errors name `file:line:column` (column = 1-based byte position in the line).
/// Well-formed lines take a vectorised C path (hb_csv.h); any other line is parsed here,
/// which gives the error messages.
/// f32: row-major float32; errors name `file:sample:value` in the same three-part form.
/// NaN and infinities are rejected in both formats, or with ``skipNonFinite`` skipped and
/// counted (a CSV line is skipped only when its sole defects are non-finite fields).
struct SampleReader: ~Copyable {
  enum Format: Equatable {
    case csv, f32

    /// `f32` for a `.f32` (or `.bin`) extension, CSV otherwise.
    static func guess(_ path: String) -> Format {
      path.hasByteSuffix(".f32") || path.hasByteSuffix(".bin") ? .f32 : .csv
    }
  }

  /// How CSV lines are split and which fields make a sample.
  struct CSVOptions: Equatable {
    /// `,`, `;` or tab; nil: detected from the first line.
    var delimiter: UInt8? = nil
    /// 0-based feature columns, in sample order; nil: every column but the id column.
    var columns: [Int]? = nil
    /// 0-based column read verbatim as each sample's ``SampleReader/id``.
    var idColumn: Int? = nil

    init(delimiter: UInt8? = nil, columns: [Int]? = nil, idColumn: Int? = nil) {
      self.delimiter = delimiter
      self.columns = columns
      self.idColumn = idColumn
    }

    /// From the command line's `--delimiter`, `--columns` and `--id-column` values.
    init(delimiter: String?, columns: String?, idColumn: String?) throws(CLIError) {
      if let d = delimiter {
        if d.isBytes(",") {
          self.delimiter = 44
        } else if d.isBytes(";") {
          self.delimiter = 59
        } else if d.isBytes("tab") || d.isBytes("\\t") || d.isBytes("\t") {
          self.delimiter = 9
        } else {
          throw .usage(
            "--delimiter: expected ',', ';', 'tab' or '\\t', got '\(ParsedOptions.excerpt(d))'")
        }
      }
      if let c = columns { self.columns = try Self.parseColumns(c) }
      if let s = idColumn {
        // Parsed as 64 bits and bounded like --columns, so a 32-bit board answers a huge
        // number with the host's words.
        guard let n = Int64(s), n >= 1 else {
          throw .usage(
            "--id-column: expected a column number >= 1, got '\(ParsedOptions.excerpt(s))'")
        }
        guard n <= Int64(SampleReader.maxDimension) + 1 else {
          throw .usage("--id-column: at most \(SampleReader.maxDimension + 1), got \(n)")
        }
        if let cols = self.columns, cols.contains(Int(n) - 1) {
          throw .usage("--id-column \(n) is also one of --columns")
        }
        self.idColumn = Int(n) - 1
      }
    }

    /// From a command line's ``OptionSpec/csvLayout`` options.
    init(_ o: ParsedOptions) throws(CLIError) {
      try self.init(
        delimiter: o.string(OptionSpec.delimiter), columns: o.string(OptionSpec.columns),
        idColumn: o.string(OptionSpec.idColumn))
    }

    /// `2-7`, `2,4,6-8`: 1-based columns and ascending ranges, each column once; 0-based out.
    static func parseColumns(_ text: String) throws(CLIError) -> [Int] {
      var out: [Int] = []
      func bad() -> CLIError {
        .usage("--columns: expected 1-based columns and ranges like 2-7 or 2,4,6-8, got '\(text)'")
      }
      for bytes in text.utf8.split(separator: UInt8(ascii: ","), omittingEmptySubsequences: false) {
        let part = Substring(bytes)
        let ends = bytes.split(separator: UInt8(ascii: "-"), omittingEmptySubsequences: false)
        guard ends.count == 1 || ends.count == 2, let a = Int(Substring(ends[0])),
          let b = ends.count == 2 ? Int(Substring(ends[1])) : a, a >= 1, b >= a
        else { throw bad() }
        if b - a >= SampleReader.maxDimension {
          throw .usage("--columns: at most \(SampleReader.maxDimension) columns, got '\(part)'")
        }
        for c in a...b {
          if out.contains(c - 1) { throw .usage("--columns: column \(c) is listed twice") }
          out.append(c - 1)
          if out.count > SampleReader.maxDimension {
            throw .usage("--columns: at most \(SampleReader.maxDimension) columns")
          }
        }
      }
      return out
    }
  }

  let path: String
  let format: Format
  let options: CSVOptions
  /// Values per sample. For CSV read with `dimension: nil` it is taken from the first line.
  private(set) var dimension: Int
  /// Samples returned so far.
  private(set) var samples: Int64 = 0
  /// Skip samples holding NaN or infinity (counted in ``skipped``) instead of failing.
  var skipNonFinite = false
  /// Samples skipped for holding NaN or infinity.
  private(set) var skipped: Int64 = 0
  /// An input with no sample is not an error (the rest of a stream after a resume may be).
  var allowEmpty = false
  /// Records consumed: samples returned plus samples skipped. A checkpoint's stream offset.
  var records: Int64 { samples + skipped }
  /// 1-based line of the last sample returned (CSV) or its sample number (f32).
  private(set) var line: Int64 = 0
  /// Whether a header line was skipped.
  private(set) var hadHeader = false
  /// The CSV delimiter (given, or detected from the first line; 0 before it is known).
  private(set) var delimiter: UInt8 = 0
  /// Fields per CSV line (0 before the first line).
  private(set) var fields = 0
  /// The id field of the last sample returned (empty without an id column).
  private(set) var id: [UInt8] = []

  private var file: InputFile
  private var buffer: [UInt8]
  private var start = 0
  private var end = 0
  private var atEOF = false
  // 64-bit counts on every platform: a 32-bit board reads streams past 2^31 lines.
  private var lineNumber: Int64 = 0
  private var sawData = false
  private var checkedStart = false
  // Per field of a line: the feature index, -1 ignored, -2 the id (hb_csv_layout.slot).
  private var slot: [Int32] = []
  // Samples parsed ahead (blockCount rows of `dimension` values), their lines and id spans
  // in `buffer` (offset, length; offset -1: the id is in `id` already). The buffer is not
  // refilled before the block is used up, so the spans stay valid.
  private var block: [Float] = []
  private var blockLines: [Int64] = []
  private var idSpans: [Int64] = []
  private var blockCount = 0
  private var blockIndex = 0
  // Where the rows of the last next(into:max:) call start in blockLines and idSpans.
  private var blockBase = 0
  private static let blockRows = 256
  // Fewer rows are parsed into `block` and copied: one C call per row would cost more.
  private static let directRows = 32
  private static let maxLine = 1 << 20
  /// The largest sample: a quarter of the longest line, so an f32 sample fits the buffer.
  static let maxDimension = maxLine / 4
  /// Excerpts of the input quoted in messages are cut to this many characters.
  static let excerptLength = 40
  /// Parse every CSV line on the careful path (tests compare it with the fast one).
  var carefulOnly = false

  /// `dimension: nil` (CSV only) takes it from the first line.
  /// `dimensionSource` says where a given `dimension` came from, for the message when
  /// `--columns` selects another number of columns (default: the `--dim` option).
  init(
    path: String, format: Format, dimension: Int?, chunkBytes: Int = 1 << 16,
    csv: CSVOptions = CSVOptions(), dimensionSource: String? = nil
  ) throws(CLIError) {
    if format == .f32 && dimension == nil {
      throw .usage("--dim is required for f32 input")
    }
    if format == .f32 && (csv.columns != nil || csv.idColumn != nil || csv.delimiter != nil) {
      throw .usage("--columns, --id-column and --delimiter apply to CSV input only")
    }
    if let d = dimension, d < 1 { throw .usage("--dim: must be >= 1, got \(d)") }
    if let d = dimension, d > Self.maxDimension {
      throw .usage("--dim: at most \(Self.maxDimension) values per sample, got \(d)")
    }
    if let cols = csv.columns, let d = dimension, d != cols.count {
      throw .usage(
        "--columns selects \(cols.count) columns, but \(dimensionSource ?? "--dim is \(d)")")
    }
    let opened = try InputFile(path: path)
    let widened = hb_sys_widen_pipe(opened.fd, 1 << 20)
    file = opened
    self.path = path
    self.format = format
    self.options = csv
    self.dimension = dimension ?? csv.columns?.count ?? 0
    self.delimiter = csv.delimiter ?? 0
    // A pipe's writer (`cat log.csv |`, `zcat log.csv.gz |`) is usually faster than this
    // reader: with a 1 MiB pipe and reads of that size it runs ahead instead of waking the
    // reader every 64 KiB, each wake-up a scheduler round trip.
    let size = widened > 0 ? Swift.min(Int(widened), Self.maxLine) : chunkBytes
    buffer = [UInt8](repeating: 0, count: Swift.max(size, 64))
  }

  var displayName: String { path.isBytes("-") ? "<stdin>" : path }

  private func error(_ line: Int64, _ column: Int, _ message: String) -> CLIError {
    .data("\(displayName):\(line):\(column): \(message)")
  }

  /// Reads the next sample into `x` (``dimension`` values). Returns false at the end of the
  /// stream; throws on malformed input, and on an input that holds no sample at all.
  mutating func next(into x: UnsafeMutablePointer<Float>) throws(CLIError) -> Bool {
    try next(into: x, max: 1) == 1
  }

  /// Reads up to `capacity` samples into `x` (row-major, ``dimension`` values each): those
  /// the input holds already, at least one unless the stream has ended (then 0). Throws like
  /// ``next(into:)``. ``line(of:)`` and ``id(of:)`` tell where each came from.
  mutating func next(into x: UnsafeMutablePointer<Float>, max capacity: Int) throws(CLIError)
    -> Int
  {
    precondition(capacity >= 1)
    let got = format == .csv ? try nextCSV(x, capacity) : try nextF32(x, capacity)
    if got > 0 {
      samples += Int64(got)
      line = line(of: got - 1)
      let last = 2 * (blockBase + got - 1)
      if format == .csv && options.idColumn != nil && idSpans[last] >= 0 {
        // In place: `id` keeps its storage from sample to sample.
        let at = Int(idSpans[last])
        id.removeAll(keepingCapacity: true)
        id.append(contentsOf: buffer[at..<(at + Int(idSpans[last + 1]))])
      }
    } else if samples == 0 && !allowEmpty {
      if skipped > 0 {
        throw .data("\(displayName): no finite samples (\(skipped) skipped for NaN or infinity)")
      }
      throw .data("\(displayName):\(Swift.max(lineNumber, 1)):1: empty input: no samples")
    }
    return got
  }

  /// The line (CSV) or sample number (f32) of sample `i` of the last
  /// ``next(into:max:)`` call.
  func line(of i: Int) -> Int64 { blockLines[blockBase + i] }

  /// The id field of sample `i` of the last ``next(into:max:)`` call (empty without an id
  /// column).
  func id(of i: Int) -> [UInt8] {
    guard options.idColumn != nil else { return [] }
    let at = Int(idSpans[2 * (blockBase + i)])
    if at < 0 { return id }
    return Array(buffer[at..<(at + Int(idSpans[2 * (blockBase + i) + 1]))])
  }

  /// Whether ``next(into:max:)`` can return without waiting for the input: a record is
  /// parsed ahead or whole in the buffer, the input has ended, or the descriptor has bytes
  /// now (which one read then takes). A stream that delivers a line in pieces may still make
  /// the next call wait for the rest of that line.
  mutating func ready() throws(CLIError) -> Bool {
    if atEOF || blockIndex < blockCount || recordBuffered() { return true }
    guard hb_sys_readable(file.fd) == 1 else { return false }
    _ = try fill(end - start + 1)
    return atEOF || recordBuffered()
  }

  private func recordBuffered() -> Bool {
    if format == .f32 { return end - start >= 4 * dimension }
    return buffer.withUnsafeBufferPointer { b in
      var i = start
      while i < end && b[i] != 10 { i += 1 }
      return i < end
    }
  }

  /// Consumes records until ``records`` reaches `n`: the part of a pass a checkpoint has
  /// already learned from. The records are parsed as in the original run, so skipping with
  /// the same options lands on the same record.
  mutating func skip(to n: Int64, pass: Int) throws(CLIError) {
    var x = [Float](repeating: 0, count: Swift.max(dimension, 1))
    while records < n {
      let got = try x.withUnsafeMutableBufferPointer { (b) throws(CLIError) -> Bool in
        try next(into: b.baseAddress!)
      }
      if !got {
        throw .data(
          "\(displayName): the checkpoint is at sample \(n) of pass \(pass + 1), but the input has only \(records): not the same input?"
        )
      }
    }
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

  private mutating func nextF32(_ x: UnsafeMutablePointer<Float>, _ capacity: Int)
    throws(CLIError) -> Int
  {
    blockBase = 0
    if blockLines.count < capacity {
      blockLines = [Int64](repeating: 0, count: Swift.max(capacity, Self.blockRows))
    }
    let bytes = dimension * 4
    let have = try fill(bytes)
    let whole = Swift.min(capacity, have / bytes)
    if whole > 1 {
      // The records in the buffer, checked at once; a block with a NaN or infinity is cut
      // before it, and that record goes the one-by-one way.
      let at = start
      let count = whole * dimension
      let bad = buffer.withUnsafeBufferPointer { b in
        Int(hb_f32_copy_finite(b.baseAddress! + at, count, x))
      }
      let good = bad < 0 ? whole : bad / dimension
      if good > 0 {
        for i in 0..<good { blockLines[i] = records + Int64(i) + 1 }
        lineNumber = records + Int64(good)
        start += good * bytes
        return good
      }
    }
    while true {
      if let got = try nextF32Record(x) {
        blockLines[0] = lineNumber
        return got ? 1 : 0
      }
    }
  }

  /// One f32 record: true for a sample, false at the end, nil for a skipped sample.
  private mutating func nextF32Record(_ x: UnsafeMutablePointer<Float>) throws(CLIError) -> Bool? {
    let bytes = dimension * 4
    let have = try fill(bytes)
    if have == 0 { return false }
    if have < bytes {
      throw error(
        records + 1, have / 4 + 1,
        "truncated: \(have) trailing bytes, not a whole sample of \(dimension) float32 values")
    }
    lineNumber = records + 1
    line = lineNumber
    let at = start
    let d = dimension
    // Little-endian on every supported target; chunk offsets are byte offsets.
    let bad = buffer.withUnsafeBufferPointer { b in
      Int(hb_f32_copy_finite(b.baseAddress! + at, d, x))
    }
    if bad >= 0 && !skipNonFinite { throw error(lineNumber, bad + 1, "NaN or infinity") }
    start += bytes
    if bad >= 0 {
      skipped += 1
      return nil
    }
    return true
  }

  /// Learns the dimension of a CSV read without one, by parsing its first sample (which
  /// ``next(into:)`` then returns first). Returns the dimension (0 for an empty input that
  /// ``allowEmpty`` accepts).
  mutating func prime() throws(CLIError) -> Int {
    if dimension == 0 && blockIndex == blockCount {
      if try !refill() && !allowEmpty {
        if skipped > 0 {
          throw .data("\(displayName): no finite samples (\(skipped) skipped for NaN or infinity)")
        }
        throw .data("\(displayName):\(Swift.max(lineNumber, 1)):1: empty input: no samples")
      }
    }
    return dimension
  }

  private mutating func nextCSV(_ x: UnsafeMutablePointer<Float>, _ capacity: Int)
    throws(CLIError) -> Int
  {
    if blockIndex == blockCount && fields > 0 && !carefulOnly && capacity >= Self.directRows {
      // Whole well-formed lines straight into x.
      while true {
        let got = try fastRows(into: x, rows: capacity)
        if got > 0 {
          blockBase = 0
          return got
        }
        if got == 0 || atEOF { break }
        _ = try fill(end - start + 1)
      }
    }
    if blockIndex == blockCount {
      if try !refill() { return 0 }
    }
    let d = dimension
    let n = Swift.min(capacity, blockCount - blockIndex)
    let from = blockIndex * d
    block.withUnsafeBufferPointer { b in
      x.update(from: b.baseAddress! + from, count: n * d)
    }
    blockBase = blockIndex
    blockIndex += n
    return n
  }

  /// Parses the next samples into `block`: whole well-formed lines in C, any other line here.
  /// False at the end of the input.
  private mutating func refill() throws(CLIError) -> Bool {
    blockIndex = 0
    blockCount = 0
    if !checkedStart { try checkStart() }
    while true {
      if fields > 0 && !carefulOnly {
        let rows = Self.blockRows
        if block.count < rows * dimension { block = [Float](repeating: 0, count: rows * dimension) }
        // Moved out while C writes into it: fastRows mutates self.
        var storage: [Float] = []
        swap(&storage, &block)
        defer { swap(&storage, &block) }
        let got = try storage.withUnsafeMutableBufferPointer { (b) throws(CLIError) -> Int in
          try fastRows(into: b.baseAddress!, rows: rows)
        }
        if got > 0 {
          blockCount = got
          return true
        }
        if got < 0 {
          // No whole line left: read on, or stop at the end of the input.
          if atEOF { return false }
          _ = try fill(end - start + 1)
          continue
        }
      }
      // The careful path, one line.
      guard let sample = try nextCSVLine() else { return false }
      if sample {
        blockCount = 1
        return true
      }
    }
  }

  /// Runs the C row parser on the unread bytes. Returns the rows parsed (> 0), 0 when the
  /// next line needs the careful path, -1 when no whole line is left.
  private mutating func fastRows(into out: UnsafeMutablePointer<Float>, rows: Int)
    throws(CLIError) -> Int
  {
    let d = dimension
    if blockLines.count < rows { blockLines = [Int64](repeating: 0, count: rows) }
    if idSpans.count < 2 * rows { idSpans = [Int64](repeating: -1, count: 2 * rows) }
    var result = hb_csv_result()
    let from = start
    let eof: Int32 = atEOF ? 1 : 0
    let n = end - start
    let wantIDs = options.idColumn != nil
    slot.withUnsafeBufferPointer { s in
      var layout = hb_csv_layout(
        delimiter: delimiter, fields: Int32(fields), slot: s.baseAddress,
        dimension: Int32(d))
      buffer.withUnsafeBufferPointer { b in
        blockLines.withUnsafeMutableBufferPointer { lines in
          idSpans.withUnsafeMutableBufferPointer { ids in
            hb_csv_parse_rows(
              &layout, b.baseAddress! + from, n, eof, out, rows, lines.baseAddress!,
              wantIDs ? ids.baseAddress! : nil, &result)
          }
        }
      }
    }
    let got = Int(result.rows)
    for i in 0..<got {
      blockLines[i] += lineNumber
      if wantIDs { idSpans[2 * i] += Int64(from) }
    }
    start += Int(result.consumed)
    lineNumber += Int64(result.lines)
    if got > 0 { return got }
    return result.status == Int32(HB_CSV_SLOW) ? 0 : -1
  }

  /// The start of a CSV input: a UTF-8 byte-order mark is skipped, UTF-16 refused.
  private mutating func checkStart() throws(CLIError) {
    checkedStart = true
    // Read only as far as a byte-order mark could reach: a pipe's first line may be short.
    var have = try fill(1)
    let b0 = have > 0 ? buffer[start] : 0
    if b0 == 0xEF || b0 == 0xFF || b0 == 0xFE { have = try fill(2) }
    let b1 = have > 1 ? buffer[start + 1] : 0
    if b0 == 0xEF && b1 == 0xBB { have = try fill(3) }
    if have >= 3 && b0 == 0xEF && b1 == 0xBB && buffer[start + 2] == 0xBF {
      start += 3
    } else if have >= 2 && ((b0 == 0xFF && b1 == 0xFE) || (b0 == 0xFE && b1 == 0xFF)) {
      throw error(
        1, 1,
        "UTF-16 text (byte-order mark \(b0 == 0xFF ? "FF FE" : "FE FF")): save or convert it as UTF-8"
      )
    }
  }

  /// One line on the careful path: true for a sample (in `block` row 0), false for a line
  /// that is not one (blank, comment, header, skipped), nil at the end of the input.
  private mutating func nextCSVLine() throws(CLIError) -> Bool? {
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
    if start == end && newline < 0 { return nil }
    let lineEnd = newline >= 0 ? newline : end
    let lineStart = start
    start = newline >= 0 ? newline + 1 : end
    lineNumber += 1
    return try parseLine(lineStart, lineEnd)
  }

  /// `text` quoted for a message: at most ``excerptLength`` characters, then "…".
  static func excerpt(_ bytes: ArraySlice<UInt8>) -> String {
    var scalars = 0
    var cut = bytes.endIndex
    for i in bytes.indices where bytes[i] & 0xC0 != 0x80 {
      if scalars == excerptLength {
        cut = i
        break
      }
      scalars += 1
    }
    let text = String(decoding: bytes[bytes.startIndex..<cut], as: UTF8.self)
    return cut == bytes.endIndex ? text : text + "…"
  }

  /// The delimiter a line uses: the most frequent of `,` `;` and tab (ties in that order);
  /// `,` when it has none.
  static func detectDelimiter(_ line: ArraySlice<UInt8>) -> UInt8 {
    var best: UInt8 = 44
    var bestCount = 0
    for d: UInt8 in [44, 59, 9] {
      var count = 0
      for c in line where c == d { count += 1 }
      if count > bestCount {
        best = d
        bestCount = count
      }
    }
    return best
  }

  /// Fixes the layout from the first line's field count: the slot of each field.
  private mutating func setLayout(fields count: Int, line ln: Int64) throws(CLIError) {
    var s = [Int32](repeating: -1, count: count)
    if let id = options.idColumn {
      if id >= count {
        throw error(ln, 1, "--id-column \(id + 1): the line has only \(count) fields")
      }
      s[id] = -2
    }
    if let cols = options.columns {
      for (k, c) in cols.enumerated() {
        if c >= count {
          throw error(ln, 1, "--columns: column \(c + 1) is beyond the \(count) fields of the line")
        }
        s[c] = Int32(k)
      }
    } else {
      var k: Int32 = 0
      for j in 0..<count where s[j] != -2 {
        s[j] = k
        k += 1
      }
    }
    if options.columns == nil && options.idColumn != nil && count == 1 {
      throw error(ln, 1, "--id-column: the line has no other field to learn from")
    }
    slot = s
    fields = count
    if dimension == 0 {
      dimension = options.columns?.count ?? count - (options.idColumn == nil ? 0 : 1)
    }
    if block.count < dimension { block = [Float](repeating: 0, count: dimension) }
  }

  /// Parses one line into `block` row 0; false for blank, comment and header lines.
  private mutating func parseLine(_ from: Int, _ to: Int) throws(CLIError) -> Bool {
    var stop = to
    if stop > from && buffer[stop - 1] == 13 { stop -= 1 }  // CRLF
    var first = from
    while first < stop && (buffer[first] == 32 || buffer[first] == 9) { first += 1 }
    if first == stop || buffer[first] == 35 { return false }  // blank or '#'
    let ln = lineNumber
    if let nul = buffer[from..<to].firstIndex(of: 0) {
      throw error(
        ln, nul - from + 1,
        "NUL byte: the input looks like UTF-16 or binary data; CSV input must be UTF-8 or ASCII text"
      )
    }
    if delimiter == 0 { delimiter = Self.detectDelimiter(buffer[first..<stop]) }
    let ranges = fieldRanges(from, stop)
    let count = ranges.count
    let headerCandidate = !sawData
    // Fields the line should have: the first line's, or (first line) from --dim.
    var expected = fields
    if expected == 0 && options.columns == nil && dimension > 0 {
      expected = dimension + (options.idColumn == nil ? 0 : 1)
    }
    if fields == 0 {
      // The slots of this line's fields, to tell a header from data.
      try setLayout(fields: count, line: ln)
      if expected > 0 && count != expected { fields = 0 }
    }
    let scan = parseFeatures(ranges, lineStart: from)
    let isHeader = headerCandidate && scan.numeric == 0 && !scan.outOfRange && !scan.nonFinite
    if expected > 0 && count > expected && !isHeader {
      throw error(ln, ranges[expected].0 - from + 1, "expected \(expected) fields, got \(count)")
    }
    if isHeader {
      if expected > 0 && count != expected {
        throw error(ln, 1, "header has \(count) fields, expected \(expected)")
      }
      sawData = true
      hadHeader = true
      return false
    }
    if let bad = scan.firstBad {
      if skipNonFinite && scan.onlyNonFinite && (expected == 0 || count == expected) {
        sawData = true
        skipped += 1
        return false
      }
      let text = Self.excerpt(buffer[bad.range.0..<bad.range.1])
      if bad.code == 2 || Self.looksNonFinite(buffer[bad.range.0..<bad.range.1]) {
        throw error(ln, bad.column, "'\(text)': NaN, infinity or out of float range")
      }
      throw error(ln, bad.column, text.isEmpty ? "empty field" : "expected a number, got '\(text)'")
    }
    if expected > 0 && count != expected {
      throw error(ln, stop - from + 1, "expected \(expected) fields, got \(count)")
    }
    accept(line: ln, ranges)
    return true
  }

  /// A data line's bookkeeping: its line number, and its id field when there is one.
  private mutating func accept(line ln: Int64, _ ranges: [(Int, Int)]) {
    sawData = true
    line = ln
    if blockLines.isEmpty { blockLines.append(Int64(ln)) } else { blockLines[0] = Int64(ln) }
    if let idc = options.idColumn {
      let (s, e) = ranges[idc]
      id.removeAll(keepingCapacity: true)
      id.append(contentsOf: buffer[s..<e])
      if idSpans.isEmpty { idSpans = [-1, 0] }
      idSpans[0] = -1
    }
  }

  /// The fields of `buffer[from..<stop]`, split at the delimiter and trimmed of blanks and
  /// tabs.
  private func fieldRanges(_ from: Int, _ stop: Int) -> [(Int, Int)] {
    let delim = delimiter
    var ranges: [(Int, Int)] = []
    var i = from
    while true {
      var fieldEnd = i
      while fieldEnd < stop && buffer[fieldEnd] != delim { fieldEnd += 1 }
      var s = i
      var e = fieldEnd
      while s < e && (buffer[s] == 32 || buffer[s] == 9) { s += 1 }
      while e > s && (buffer[e - 1] == 32 || buffer[e - 1] == 9) { e -= 1 }
      ranges.append((s, e))
      if fieldEnd >= stop { break }
      i = fieldEnd + 1
    }
    return ranges
  }

  /// What the feature fields of a line hold: how many parsed, whether any is out of float
  /// range or spells NaN or infinity, and the first that did not parse.
  private struct FeatureScan {
    var numeric = 0
    var outOfRange = false
    var nonFinite = false
    var firstBad: (column: Int, range: (Int, Int), code: Int32)? = nil
    /// Every field that did not parse is NaN, infinity or out of range (skippable).
    var onlyNonFinite = true
  }

  /// Parses the feature fields of a line: their values into row 0 of `block` (once the
  /// layout is fixed), and what the scan found.
  private mutating func parseFeatures(_ ranges: [(Int, Int)], lineStart from: Int) -> FeatureScan {
    if block.count < dimension { block = [Float](repeating: 0, count: dimension) }
    var scan = FeatureScan()
    for j in 0..<Swift.min(ranges.count, slot.count) where slot[j] >= 0 {
      let (s, e) = ranges[j]
      var value: Float = 0
      let code: Int32 =
        e > s
        ? buffer.withUnsafeBufferPointer { b in
          b.baseAddress!.withMemoryRebound(to: CChar.self, capacity: b.count) {
            hb_csv_parse_f32($0 + s, e - s, &value)
          }
        } : 1
      if code == 0 {
        scan.numeric += 1
        if fields > 0 { block[Int(slot[j])] = value }
      } else {
        let looks = Self.looksNonFinite(buffer[s..<e])
        if code == 2 { scan.outOfRange = true }
        if looks { scan.nonFinite = true }
        if code != 2 && !looks { scan.onlyNonFinite = false }
        if scan.firstBad == nil { scan.firstBad = (s - from + 1, (s, e), code) }
      }
    }
    return scan
  }

  /// "nan…" or "inf…" with an optional sign, in any ASCII case (no Unicode case tables,
  /// which would triple the size of the board binary).
  static func looksNonFinite(_ text: ArraySlice<UInt8>) -> Bool {
    var bytes = Array(text.prefix(4))
    if let f = bytes.first, f == 43 || f == 45 { bytes.removeFirst() }
    guard bytes.count >= 3 else { return false }
    let lower = bytes.prefix(3).map { $0 | 0x20 }
    return lower == Array("nan".utf8) || lower == Array("inf".utf8)
  }
}
