import Hebbian

/// The options of `hebbian bench`, each declared once, and the measurement they describe.
struct BenchOptions {
  static let rule = OptionSpec.value(
    "--rule", "R", BenchCommand.ruleNames.joined(separator: "|") + " (default: all three)")
  static let dim = OptionSpec.value("--dim", "D", "input dimension d (default 256)")
  static let components = OptionSpec.value(
    "--components", "K", "neurons k of subspace and gha (default 16)")
  static let isa = OptionSpec.value(
    "--isa", "I", "scalar|avx2|neon (default: every supported one, with the ratio vs scalar)")
  static let seconds = OptionSpec.value(
    "--seconds", "S", "timed seconds per rule and variant, in 5 repetitions (default 0.3)")
  static let peakGflops = OptionSpec.value(
    "--peak-gflops", "P", "FP32 FMA peak of one core (default: measured by an FMA loop)")
  static let block = OptionSpec.value(
    "--block", "N",
    "samples per call of the fused PCA driver timed after the table (default 64; 0: skip)")
  static let monitor = OptionSpec.flag(
    "--monitor",
    "NoveltyMonitor per detected sample beside the bare OnlinePCA update (default d 8, k 3)")
  static let roofline = OptionSpec.flag(
    "--roofline",
    "W >= 4x the last-level cache (d 16384, k from the cache size): gha on the best isa,"
      + " GB/s vs the best of copy loops and read + in-place passes over W (default 3 s)")

  /// The command's table, in the order its help lists it.
  static let table: [OptionSpec] = [
    rule, dim, components, isa, seconds, peakGflops, block, monitor, roofline,
  ]

  var roofline: Bool
  /// The last-level cache, which sizes the roofline shape.
  var llc: (level: Int, bytes: Int)
  var rules: [BenchCommand.Rule]
  var d: Int
  var k: Int
  var seconds: Double
  var isas: [ISA]
  var block: Int
  /// --peak-gflops: nil to measure the peak.
  var peak: Double?

  init(_ o: ParsedOptions) throws(CLIError) {
    roofline = o.has(Self.roofline)
    llc = BenchCommand.lastLevelCache()
    let ruleName = try o.choice(
      Self.rule, ["all"] + BenchCommand.ruleNames, default: roofline ? "gha" : "all")
    rules = BenchCommand.Rule.allCases.filter { ruleName.isBytes("all") || $0.name.isBytes(ruleName) }
    d = try o.int(Self.dim, default: roofline ? 16384 : 256, min: 1)
    // The roofline shape: the fewest rows (a multiple of 8) that make W at least four times
    // the last-level cache, so that no level of cache can hold it between two updates. At
    // twice, a 32 MiB victim L3 still served part of each pass: a read pass over 64 MiB ran at
    // 39 GB/s, over 128 and 640 MiB at 33 and 31.
    // Its three copies of W (the start, the timed one, the copy loop's target) stay inside the
    // buffer budget: a cache larger than about 40 MiB gets a W under four times its size. In
    // 64 bits, so that a 32-bit board computes the same k.
    let row = 4 * Int64(d)
    let cacheK = (4 * Int64(llc.bytes) + row - 1) / row
    let fitK = (WorkBudget.maxBytes - Int64(BenchCommand.pool) * row) / (3 * row)
    let rooflineK = Int(min((cacheK + 7) / 8 * 8, max(fitK / 8 * 8, 8)))
    k = try o.int(Self.components, default: roofline ? rooflineK : 16, min: 1)
    seconds = try o.double(Self.seconds, default: roofline ? 3 : 0.3)
    if !(seconds > 0 && seconds <= 600) { throw .usage("--seconds: expected 0 < S <= 600") }
    isas = roofline ? [ISA.best] : ISA.supported
    if let name = o.string(Self.isa) {
      guard let isa = ISA(name: name) else {
        throw .usage("--isa: " + HebbianError.unknownISA(name).message)
      }
      guard isa.isSupported else {
        throw .usage("--isa: " + HebbianError.isaUnavailable(name).message)
      }
      isas = [isa]
    }
    block = try o.int(Self.block, default: roofline ? 0 : 64, min: 0)
    peak = try o.double(Self.peakGflops)
    if let peak, !(peak > 0) { throw .usage("--peak-gflops: expected a positive number") }
    // W's start, one copy per variant and the roofline's copy target; the sample pool; y and
    // the rates. Refused before any of it is allocated.
    var budget = WorkBudget("bench")
    let copies = Int64(1 + isas.count + (roofline ? 1 : 0))
    budget.memory(
      [[copies, Int64(k), Int64(d)], [Int64(BenchCommand.pool), Int64(d)], [2, Int64(k)]],
      [Self.dim, Self.components])
    try budget.check(quiet: true)
  }
}
