import Hebbian

/// `hebbian selftest`: every kernel of the catalogue under every variant the CPU supports
/// against the scalar reference, over the unit tests' sweep. The first thing to run on a new
/// board or toolchain.
enum SelfTestCommand {
  static let command = Command(
    name: "selftest",
    summary: "Check every kernel variant this CPU supports against the scalar reference.",
    options: [
      SelfTestOptions.seed
    ],
    run: { (options: ParsedOptions) throws(CLIError) in
      try run(seed: options.int(SelfTestOptions.seed, default: 0x5EED, min: 0))
    }
  )

  static func run(seed: Int) throws(CLIError) {
    let rows = KernelSelfTest.run(seed: UInt64(seed))
    Console.outLine(header())
    var failed = 0
    for r in rows {
      if !r.passed { failed += 1 }
      Console.outLine(line(r))
    }
    var isas = ""
    for isa in ISA.supported { isas += (isas.isEmpty ? "" : " ") + isa.name }
    Console.outLine(
      "selftest: \(rows.count) kernels, \(rows.count - failed) passed, \(failed) failed"
        + " (isa: \(isas); active: \(ISA.active.name))")
    if failed > 0 { throw .data("\(failed) kernel variant(s) differ from the scalar reference") }
  }

  static func header() -> String {
    Fmt.padRight("family", 11) + Fmt.padRight("kernel", 22) + Fmt.padRight("isa", 7)
      + Fmt.pad("cases", 6) + Fmt.pad("max error", 11) + Fmt.pad("tolerance", 11) + "  result"
  }

  static func line(_ r: KernelSelfTestRow) -> String {
    Fmt.padRight(r.family, 11) + Fmt.padRight(r.kernel, 22) + Fmt.padRight(r.isa.name, 7)
      + Fmt.pad("\(r.cases)", 6) + Fmt.pad(Fmt.sci(r.maxError, 2), 11)
      + Fmt.pad(Fmt.sci(r.tolerance, 2), 11) + (r.passed ? "  PASS" : "  FAIL")
      + (r.scalarFallback ? " (no \(r.isa.name) body yet: scalar fallback)" : "")
  }
}

/// The options of `hebbian selftest`, each declared once: its table and every query read these.
enum SelfTestOptions {
  static let seed = OptionSpec.value("--seed", "N", "seed of the random sweep data (default 24301)")
}
