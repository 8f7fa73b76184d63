import Hebbian

// Any byte string must decode to a model or to a HebbianError: never a crash, a trap or an
// unbounded allocation.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzModelFile(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
  let bytes = Array(UnsafeBufferPointer(start: data, count: size))
  do {
    let m = try ModelFile(decoding: bytes)
    // What decodes must re-encode to the same bytes.
    precondition(m.encoded() == bytes, "model file does not round-trip")
  } catch {}
  return 0
}
