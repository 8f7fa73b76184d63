
import CHebbian
import CHebbianSys
import Hebbian

/// `hebbian info`: version, kernel variants, caches — what a bug report or a board bring-up
/// needs first.
enum InfoCommand {
  static let command = Command(
    name: "info",
    summary: "Print the version, the selected and available instruction sets, and cache sizes.",
    options: [],
    run: { (_: ParsedOptions) throws(CLIError) in run() }
  )

  /// The PCA block driver of each size class on `isa`: "scalar", or e.g. "avx2-small up to
  /// d, k = 16, avx2 above".
  static func pcaDrivers(_ isa: hb_isa) -> String {
    let large = String(cString: hb_pca_block_driver(isa, 1024, 1024))
    var bound = 0
    while bound < 1024 {
      let n = bound + 1
      if String(cString: hb_pca_block_driver(isa, n, n)).isBytes(large) { break }
      bound = n
    }
    if bound == 0 { return large }
    let small = String(cString: hb_pca_block_driver(isa, 1, 1))
    return "\(small) up to d, k = \(bound), \(large) above"
  }

  static func run() {
    Console.outLine("hebbian \(hebbianVersion)")
    Console.outLine("isa: \(ISA.active.name)")
    var available = ""
    for isa in ISA.supported { available += (available.isEmpty ? "" : " ") + isa.name }
    Console.outLine("available: \(available)")
    // The CSV reader and the PCA driver follow the active variant (HEBBIAN_ISA pins them too).
    let isa = hb_isa_active()
    Console.outLine("csv scanner: " + String(cString: hb_csv_isa_for(Int32(isa.rawValue))))
    Console.outLine("pca driver: " + pcaDrivers(isa))
    #if arch(x86_64)
      Console.outLine("arch: x86_64")
    #elseif arch(arm64)
      Console.outLine("arch: aarch64")
    #elseif arch(arm)
      Console.outLine("arch: armv7")
    #endif
    for level in 1...3 {
      let bytes = hb_sys_cache_bytes(Int32(level))
      if bytes > 0 { Console.outLine("L\(level) data cache: \(bytes / 1024) KiB") }
    }
  }
}
