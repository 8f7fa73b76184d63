// A minimal board program: float32 samples on stdin -> OnlinePCA -> float32 projections on
// stdout, nothing else. Built with Embedded Swift by Scripts/footprint.sh; a template for
// putting the library on a board without the `hebbian` tool's options, files and tables.
//
//   board-pca [D [K]]     D inputs (default 6), K components (default 3), gha rule, centred
//
// Each input record is D little-endian float32 values; the program learns from it and writes
// the K outputs its learning step computed (the rows `hebbian pca --project` writes, byte
// for byte). A partial record at the end is ignored;
// a sample the library refuses (NaN, infinity, absurd magnitude) stops it with exit status 2,
// after the coordinates of every sample before it are written.
import CHebbianSys
import Hebbian

/// The decimal integer in argument i, or `fallback` without one (bytes, no String parsing).
func argument(_ i: Int32, _ fallback: Int) -> Int {
  guard i < hb_sys_argc(), let p = hb_sys_argv(i) else { return fallback }
  var v = 0
  var j = 0
  while p[j] != 0 {
    let c = Int(p[j]) - 48
    guard c >= 0 && c <= 9 && v < 1 << 20 else { fail("expected a small positive integer") }
    v = v * 10 + c
    j += 1
  }
  return j == 0 ? fallback : v
}

func fail(_ message: String) -> Never {
  var m = "board-pca: " + message + "\n"
  m.withUTF8 { _ = hb_sys_write_all(2, $0.baseAddress, $0.count) }
  hb_sys_exit(2)
}

@main
struct BoardPCA {
  static func main() {
    let d = argument(1, 6)
    let k = argument(2, 3)
    var pca: OnlinePCA
    do throws(HebbianError) {
      pca = try OnlinePCA(dimension: d, components: k, rule: .gha, centering: true)
    } catch {
      fail(error.message)
    }
    let record = 4 * d
    let capacity = 256 * record
    // Samples arrive as raw bytes into the float storage itself: no conversion, no copy.
    var input = [Float](repeating: 0, count: 256 * d)
    var output = [Float](repeating: 0, count: 256 * k)
    var y = OwnedBuffer<Float>(count: k)
    var filled = 0
    var learned = 0
    while true {
      let n = input.withUnsafeMutableBytes {
        hb_sys_read(0, $0.baseAddress! + filled, capacity - filled)
      }
      if n < 0 { fail("cannot read stdin") }
      if n == 0 { break }
      filled += Int(n)
      let records = filled / record
      // The checked API: a NaN, an infinity or an absurd magnitude stops the program with the
      // library's message instead of reaching the learner, after the coordinates of every
      // sample before it are out.
      var refused: String? = nil
      var done = 0
      while done < records && refused == nil {
        let x = input.span.extracting(done * d..<(done + 1) * d)
        var ys = y.mutableSpan
        do throws(HebbianError) {
          try pca.update(block: x, outputs: &ys)
          for i in 0..<k { output[done * k + i] = y[i] }
          done += 1
        } catch {
          refused = "sample \(learned + done + 1): " + error.message
        }
      }
      let written = output.withUnsafeBytes { hb_sys_write_all(1, $0.baseAddress, done * k * 4) }
      if written != 0 { fail("cannot write stdout") }
      if let refused { fail(refused) }
      learned += records
      let rest = filled - records * record
      if rest > 0 {
        input.withUnsafeMutableBytes {
          $0.baseAddress!.copyMemory(from: $0.baseAddress! + records * record, byteCount: rest)
        }
      }
      filled = rest
    }
  }
}
