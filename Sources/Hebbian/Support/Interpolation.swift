/// Messages and reports interpolate integers and strings at about 700 places. The standard
/// library's generic `appendInterpolation` is inlined at each of them (an integer's digits,
/// UTF-8 validation, the append and the releases: 60 to 150 bytes a place in an Embedded
/// -Osize build); these overloads, chosen over the generic ones for these types, make each
/// place one call. The text is the same.
extension DefaultStringInterpolation {
  @inline(never)
  package mutating func appendInterpolation(_ value: String) { appendLiteral(value) }
  @inline(never)
  package mutating func appendInterpolation(_ value: Int) { appendLiteral(String(value)) }
  @inline(never)
  package mutating func appendInterpolation(_ value: Int64) { appendLiteral(String(value)) }
  @inline(never)
  package mutating func appendInterpolation(_ value: Int32) { appendLiteral(String(value)) }
  @inline(never)
  package mutating func appendInterpolation(_ value: UInt64) { appendLiteral(String(value)) }
}
