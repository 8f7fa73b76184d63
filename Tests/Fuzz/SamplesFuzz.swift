import CHebbianSys

// Feeds the input to the sample reader as a CSV file (dimension from the first line) and as
// an f32 file (dimension from the first byte), through a small chunk size so lines and samples
// straddle reads; any input must read or give a CLIError, never crash.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSamples(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
  let path = "/tmp/hebbian-fuzz-samples-\(hb_sys_getpid())"
  let bytes = Array(UnsafeBufferPointer(start: data, count: size))
  do throws(CLIError) {
    try Files.write(path, bytes)
  } catch {
    return 0
  }
  let chunk = 16 + Int(size > 0 ? data[0] & 63 : 0)
  do throws(CLIError) {
    var r = try SampleReader(path: path, format: .csv, dimension: nil, chunkBytes: chunk)
    let d = try r.prime()
    var x = [Float](repeating: 0, count: d)
    while try x.withUnsafeMutableBufferPointer({ (b) throws(CLIError) -> Bool in
      try r.next(into: b.baseAddress!)
    }) {
      for v in x where !v.isFinite { fatalError("reader returned a non-finite value") }
    }
  } catch {}
  do throws(CLIError) {
    let d = 1 + Int(size > 0 ? data[0] % 8 : 0)
    var r = try SampleReader(path: path, format: .f32, dimension: d, chunkBytes: chunk)
    var x = [Float](repeating: 0, count: d)
    while try x.withUnsafeMutableBufferPointer({ (b) throws(CLIError) -> Bool in
      try r.next(into: b.baseAddress!)
    }) {
      for v in x where !v.isFinite { fatalError("reader returned a non-finite value") }
    }
  } catch {}
  _ = hb_sys_unlink(path)
  return 0
}
