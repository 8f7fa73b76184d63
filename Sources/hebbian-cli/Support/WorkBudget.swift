import Hebbian

/// What a command line asks for, counted before any of it is done: inner steps (a synapse
/// update, a multiply-add of a pattern sweep) and bytes held at once. Counts are products of
/// option values in checked 64-bit arithmetic (an overflow is "over the budget"), so a 32-bit
/// board refuses exactly the lines a 64-bit host refuses, with the same estimate.
struct WorkBudget {
  /// Most inner steps (multiply-adds, or their equivalent) one run may ask for: 2^40 (1.1e12),
  /// about a thousand times a default run, tens of minutes on a host. Lowered by the option fuzzer so that every case it runs stays short.
  nonisolated(unsafe) static var maxSteps: Int64 = 1 << 40
  /// Most bytes a command's own buffers may hold, on top of what the library checks itself.
  nonisolated(unsafe) static var maxBytes = Int64(MemoryBudget.bytes)
  /// A run estimated above this many steps says so on stderr before it starts.
  static let announceSteps: Int64 = 1 << 33

  let command: String
  private(set) var steps: Int64? = 0
  private(set) var bytes: Int64? = 0
  /// The options that decide each count, named in a refusal (the ones to change).
  private var stepOptions: [String] = []
  private var byteOptions: [String] = []

  init(_ command: String) { self.command = command }

  /// Adds the product of `factors` inner steps; `options` are the ones to change.
  mutating func work(_ factors: [Int64], _ options: [OptionSpec]) {
    steps = Self.add(steps, Self.product(factors))
    for o in options where !stepOptions.containsBytes(o.name) { stepOptions.append(o.name) }
  }

  /// ``work(_:_:)`` with a count that comes from real-valued options (a duration over a time
  /// step): anything not finite or beyond 2^62 is over the budget, never converted.
  mutating func work(_ count: Double, times factors: [Int64] = [], _ options: [OptionSpec]) {
    let n: Int64? = count.isFinite && count >= 0 && count < 0x1p62 ? Int64(count.rounded(.up)) : nil
    steps = Self.add(steps, n.flatMap { Self.product([$0] + factors) })
    for o in options where !stepOptions.containsBytes(o.name) { stepOptions.append(o.name) }
  }

  /// Adds buffers of `terms` (each a product of counts) of `elementBytes` each.
  mutating func memory(_ terms: [[Int64]], elementBytes: Int64 = 4, _ options: [OptionSpec]) {
    for t in terms { bytes = Self.add(bytes, Self.product([elementBytes] + t)) }
    for o in options where !byteOptions.containsBytes(o.name) { byteOptions.append(o.name) }
  }

  /// Refuses the run (a usage error: the options ask too much) when either count is over its
  /// budget; announces a long one on stderr.
  func check(quiet: Bool = false) throws(CLIError) {
    if let b = bytes, b <= Self.maxBytes {
    } else {
      throw .usage(
        "\(command): the buffers would need \(Self.amount(bytes, "bytes")), above the budget of "
          + "\(Self.maxBytes >> 20) MiB; change \(Self.list(byteOptions))")
    }
    if let s = steps, s <= Self.maxSteps {
      if s > Self.announceSteps && !quiet {
        Console.errLine("\(command): about \(Self.amount(s, "steps")); this may take a while")
      }
    } else {
      throw .usage(
        "\(command): about \(Self.amount(steps, "steps")), above the budget of "
          + "\(Self.amount(Self.maxSteps, "steps")); change \(Self.list(stepOptions))")
    }
  }

  static func product(_ factors: [Int64]) -> Int64? {
    var p: Int64 = 1
    for f in factors {
      guard f >= 0 else { return nil }
      let (r, o) = p.multipliedReportingOverflow(by: f)
      if o { return nil }
      p = r
    }
    return p
  }

  static func add(_ a: Int64?, _ b: Int64?) -> Int64? {
    guard let a, let b else { return nil }
    let (s, o) = a.addingReportingOverflow(b)
    return o ? nil : s
  }

  static func amount(_ n: Int64?, _ unit: String) -> String {
    guard let n else { return "more than 2^63 \(unit)" }
    return (n < 100_000 ? String(n) : Fmt.sci(Double(n), 1)) + " " + unit
  }

  static func list(_ options: [String]) -> String {
    var s = ""
    for (i, o) in options.enumerated() {
      s += i == 0 ? o : (i == options.count - 1 ? " or " : ", ") + o
    }
    return s.isEmpty ? "the sizes" : s
  }
}

/// A real-valued option turned into a count (steps, points): refused unless finite and in
/// 0...limit, so no Double-to-Int conversion can trap.
func checkedCount(_ x: Double, limit: Int64 = Int64(Int32.max), _ what: String) throws(CLIError)
  -> Int
{
  guard x.isFinite && x >= 0 && x <= Double(limit) else {
    throw .usage("\(what): \(x.isFinite ? Fmt.sci(x, 1) : "not a finite number"), above \(limit)")
  }
  return Int(x)
}
