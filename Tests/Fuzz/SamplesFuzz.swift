import CHebbianSys

// The CSV/f32 sample reader on arbitrary bytes: every input must stream samples or end in a
// CLIError, never crash, trap or hang. The first three bytes choose the mode: format (bit 0),
// skip non-finite samples (bit 1), an explicit dimension (bit 2) of 1 + byte1 % 8 values, and a
// chunk of 64 + byte2 bytes so lines and samples straddle reads. The rest is the file (seeds
// without the three mode bytes still work: their first bytes just pick a mode).
// tmpfs when there is one: the reader is exercised through a real file descriptor.
private let path =
  (hb_sys_file_size("/dev/shm") >= 0 ? "/dev/shm" : "/tmp") + "/hebbian-fuzz-samples-"
  + String(hb_sys_getpid())

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSamples(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
  guard size >= 3 else { return 0 }
  let mode = data[0]
  let format: SampleReader.Format = mode & 1 != 0 ? .f32 : .csv
  let dimension: Int? = format == .f32 || mode & 4 != 0 ? 1 + Int(data[1] % 8) : nil
  let bytes = Array(UnsafeBufferPointer(start: data + 3, count: size - 3))
  do throws(CLIError) {
    try Files.write(path, bytes)
    var reader = try SampleReader(
      path: path, format: format, dimension: dimension, chunkBytes: 64 + Int(data[2]))
    reader.skipNonFinite = mode & 2 != 0
    let d = try reader.prime()
    precondition(d >= 1 && d <= SampleReader.maxDimension, "bad dimension")
    var x = [Float](repeating: 0, count: d)
    var n = 0
    while try x.withUnsafeMutableBufferPointer({ (b) throws(CLIError) -> Bool in
      try reader.next(into: b.baseAddress!)
    }) {
      for v in x { precondition(v.isFinite, "a non-finite value got through") }
      n += 1
      // Every sample costs at least one byte of input (a digit, or 4 bytes of f32).
      precondition(n <= bytes.count, "more samples than bytes")
    }
    precondition(reader.records == n + reader.skipped, "record count")
  } catch {
    precondition(!error.message.isEmpty, "empty error message")
  }
  _ = hb_sys_unlink(path)
  return 0
}
