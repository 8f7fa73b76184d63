
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

  static func run() {
    Console.outLine("hebbian \(hebbianVersion)")
    Console.outLine("isa: \(ISA.active.name)")
    var available = ""
    for isa in ISA.supported { available += (available.isEmpty ? "" : " ") + isa.name }
    Console.outLine("available: \(available)")
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
