import CHebbianSys

// The CSV/f32 sample reader on arbitrary bytes: every input must stream samples or end in a
// CLIError, never crash, trap or hang; the vectorised CSV path must give exactly what the
// careful path gives (samples, lines, ids and errors), and reading blocks of samples exactly
// what reading one at a time gives. The first three bytes choose the mode: format (bit 0),
// skip non-finite samples (bit 1), an explicit dimension (bit 2) of 1 + byte1 % 8 values, the
// CSV delimiter (bits 3-4: detected, ',', ';', tab), an id column (bit 5: column 1), a column
// selection (bit 6: columns 2 and 3, or 3 and 2 with bit 7); a chunk of 64 + byte2 bytes so
// lines and samples straddle reads, and blocks of 1 + byte2 % 80 samples. The rest is the file
// (seeds without the three mode bytes still work: their first bytes just pick a mode).
// tmpfs when there is one: the reader is exercised through a real file descriptor.
private let path =
  (hb_sys_file_size("/dev/shm") >= 0 ? "/dev/shm" : "/tmp") + "/hebbian-fuzz-samples-"
  + String(hb_sys_getpid())

/// Reads everything; returns a transcript of the samples and the ending.
private func transcript(
  format: SampleReader.Format, dimension: Int?, csv: SampleReader.CSVOptions, chunk: Int,
  skip: Bool, careful: Bool, block: Int = 0, bytes: Int
) -> [UInt32] {
  var log: [UInt32] = []
  do throws(CLIError) {
    var reader = try SampleReader(
      path: path, format: format, dimension: dimension, chunkBytes: chunk, csv: csv)
    reader.skipNonFinite = skip
    reader.carefulOnly = careful
    let d = try reader.prime()
    precondition(d >= 1 && d <= SampleReader.maxDimension, "bad dimension")
    let capacity = Swift.max(block, 1)
    var x = [Float](repeating: 0, count: d * capacity)
    var n: Int64 = 0
    while true {
      // Sample by sample (next(into:)), or up to `block` at once (next(into:max:)).
      let got = try x.withUnsafeMutableBufferPointer { (b) throws(CLIError) -> Int in
        block == 0
          ? (try reader.next(into: b.baseAddress!) ? 1 : 0)
          : try reader.next(into: b.baseAddress!, max: capacity)
      }
      if got == 0 { break }
      precondition(got <= capacity, "more samples than asked for")
      for i in 0..<got {
        let row = x[(i * d)..<(i * d + d)]
        for v in row { precondition(v.isFinite, "a non-finite value got through") }
        n += 1
        // Every sample costs at least one byte of input (a digit, or 4 bytes of f32).
        precondition(n <= Int64(bytes), "more samples than bytes")
        log.append(UInt32(truncatingIfNeeded: block == 0 ? reader.line : reader.line(of: i)))
        log.append(contentsOf: row.map(\.bitPattern))
        log.append(contentsOf: (block == 0 ? reader.id : reader.id(of: i)).map { UInt32($0) | 0x100 })
      }
    }
    precondition(reader.records == n + reader.skipped, "record count")
    log.append(UInt32(truncatingIfNeeded: reader.skipped))
  } catch {
    precondition(!error.message.isEmpty, "empty error message")
    log.append(0xFFFF_FFFF)
    log.append(contentsOf: error.message.utf8.map { UInt32($0) })
  }
  return log
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSamples(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
  guard size >= 3 else { return 0 }
  let mode = data[0]
  let format: SampleReader.Format = mode & 1 != 0 ? .f32 : .csv
  var dimension: Int? = format == .f32 || mode & 4 != 0 ? 1 + Int(data[1] % 8) : nil
  var csv = SampleReader.CSVOptions()
  if format == .csv {
    csv.delimiter = [nil, 44, 59, 9][Int(mode >> 3) & 3]
    if mode & 32 != 0 { csv.idColumn = 0 }
    if mode & 64 != 0 {
      csv.columns = mode & 128 != 0 ? [2, 1] : [1, 2]
      if dimension != nil { dimension = 2 }
    }
  }
  let bytes = Array(UnsafeBufferPointer(start: data + 3, count: size - 3))
  do throws(CLIError) {
    try Files.write(path, bytes)
  } catch {
    precondition(false, error.message)
  }
  let chunk = 64 + Int(data[2])
  let fast = transcript(
    format: format, dimension: dimension, csv: csv, chunk: chunk, skip: mode & 2 != 0,
    careful: false, bytes: bytes.count)
  if format == .csv {
    let careful = transcript(
      format: format, dimension: dimension, csv: csv, chunk: chunk, skip: mode & 2 != 0,
      careful: true, bytes: bytes.count)
    precondition(fast == careful, "the fast CSV path differs from the careful one")
  }
  let blocks = transcript(
    format: format, dimension: dimension, csv: csv, chunk: chunk, skip: mode & 2 != 0,
    careful: false, block: 1 + Int(data[2] % 80), bytes: bytes.count)
  precondition(fast == blocks, "reading in blocks differs from reading sample by sample")
  _ = hb_sys_unlink(path)
  return 0
}
