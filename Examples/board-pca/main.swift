// A minimal board program: float32 samples on stdin -> OnlinePCA -> float32 projections on
// stdout, nothing else. Built with Embedded Swift by Scripts/footprint.sh; a template for
// putting the library on a board without the `hebbian` tool's options, files and tables.
//
//   board-pca [D [K]]     D inputs (default 6), K components (default 3), gha rule, centred
//
// Each input record is D little-endian float32 values; after learning from it the program
// writes its K coordinates in the current subspace. A partial record at the end is ignored.
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
    let input = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 16)
    let output = UnsafeMutablePointer<Float>.allocate(capacity: 256 * k)
    var filled = 0
    while true {
      let n = hb_sys_read(0, input + filled, capacity - filled)
      if n < 0 { fail("cannot read stdin") }
      if n == 0 { break }
      filled += Int(n)
      let records = filled / record
      for r in 0..<records {
        // Records start at multiples of 4d bytes from a 16-byte aligned buffer.
        let x = (input + r * record).assumingMemoryBound(to: Float.self)
        pca.unsafeUpdate(x)
        pca.unsafeProject(x, into: output + r * k)
      }
      if hb_sys_write_all(1, output, records * k * 4) != 0 { fail("cannot write stdout") }
      let rest = filled - records * record
      if rest > 0 { input.copyMemory(from: input + records * record, byteCount: rest) }
      filled = rest
    }
  }
}
