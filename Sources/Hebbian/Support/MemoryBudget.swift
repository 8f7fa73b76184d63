/// The one memory budget every learner and memory checks in its initialiser, before it
/// allocates anything: sizes are multiplied with overflow checks (so a 32-bit board refuses
/// exactly what a 64-bit host refuses) and the total compared with ``bytes``.
public enum MemoryBudget {
  /// Largest total allocation of one learner or memory: 512 MiB, beyond any model a board
  /// holds, and below the address space a 32-bit process can spare.
  public static let bytes = 512 << 20

  /// Bytes of `terms` (each a product of counts) of `elementBytes` each, in 64 bits on every
  /// platform (so a 32-bit board reports the same amount as a 64-bit host), or nil when even
  /// that overflows.
  public static func bytesNeeded(_ terms: [[Int]], elementBytes: Int = 4) -> Int64? {
    var total: Int64 = 0
    for term in terms {
      var p = Int64(elementBytes)
      for f in term {
        guard f >= 0 else { return nil }
        let (r, o) = p.multipliedReportingOverflow(by: Int64(f))
        if o { return nil }
        p = r
      }
      let (s, o) = total.addingReportingOverflow(p)
      if o { return nil }
      total = s
    }
    return total
  }

  /// Throws `invalidParameter` naming `owner` and `shape` when `terms` exceed the budget.
  public static func check(
    _ owner: String, _ shape: String, _ terms: [[Int]], elementBytes: Int = 4
  )
    throws(HebbianError)
  {
    let need = bytesNeeded(terms, elementBytes: elementBytes)
    if let n = need, n <= Int64(bytes) { return }
    let amount: String
    if let n = need {
      amount = n >= 1 << 30 ? "\(n >> 30) GiB" : "\(n >> 20) MiB"
    } else {
      amount = "more than 2^63 bytes"
    }
    throw .invalidParameter(
      "\(owner): \(shape) needs \(amount), above the memory budget of \(bytes >> 20) MiB")
  }
}

/// Counts of time steps and grid points that come from real-valued parameters (a duration over
/// a step): converted only when finite and within 2^31 − 1, the same bound on every platform,
/// so no Double-to-Int conversion traps and a 32-bit board refuses what a 64-bit host refuses.
package enum StepCount {
  package static let limit = Int(Int32.max)

  /// `x` rounded as `rule` says, or `invalidParameter` naming `what`.
  package static func of(
    _ x: Double, _ what: String, rounding rule: FloatingPointRoundingRule = .toNearestOrEven
  ) throws(HebbianError) -> Int {
    let r = x.rounded(rule)
    guard r.isFinite && r >= 0 && r <= Double(limit) else {
      throw .invalidParameter("\(what): must be a finite count of at most \(limit) steps")
    }
    return Int(r)
  }

  /// The product of `factors` if it is at most 2^31 − 1 (checked in 64 bits), else
  /// `invalidParameter` naming `what`.
  package static func product(_ factors: [Int], _ what: String) throws(HebbianError) -> Int {
    var p: Int64 = 1
    for f in factors {
      let (r, o) = p.multipliedReportingOverflow(by: Int64(f))
      guard f >= 0, !o, r <= Int64(limit) else {
        throw .invalidParameter("\(what): more than \(limit)")
      }
      p = r
    }
    return Int(p)
  }
}
