/// Numbers in the library's messages: up to six significant digits, fixed notation for
/// 1e-4 ≤ |v| < 1e6 and `1.5e-7` style outside, `nan`, `inf`, `-inf`. Written here rather than
/// through `"\(v)"` because the standard library's shortest-representation printer is about
/// 5 KB of a board program that prints no other float.
enum Numeral {
  static func text(_ v: Double) -> String {
    if v.isNaN { return "nan" }
    if v.isInfinite { return v < 0 ? "-inf" : "inf" }
    if v == 0 { return "0" }
    var m = v < 0 ? -v : v
    var e = 0
    while m >= 10 {
      m /= 10
      e += 1
    }
    while m < 1 {
      m *= 10
      e -= 1
    }
    var digits = Int64((m * 100_000).rounded())
    if digits >= 1_000_000 {
      digits /= 10
      e += 1
    }
    var n = 6  // significant digits kept
    while digits % 10 == 0 && n > 1 {
      digits /= 10
      n -= 1
    }
    let sign = v < 0 ? "-" : ""
    if e >= -4 && e < 6 {
      if e < 0 { return sign + "0." + zeros(-e - 1) + String(digits) }
      if n <= e + 1 { return sign + String(digits) + zeros(e + 1 - n) }
      return sign + split(digits, fraction: n - e - 1)
    }
    return sign + (n > 1 ? split(digits, fraction: n - 1) : String(digits)) + "e" + String(e)
  }

  static func zeros(_ count: Int) -> String { String(repeating: "0", count: count) }

  /// `digits` with a decimal point before its last `fraction` digits.
  static func split(_ digits: Int64, fraction: Int) -> String {
    var scale: Int64 = 1
    for _ in 0..<fraction { scale *= 10 }
    let tail = String(digits % scale)
    return String(digits / scale) + "." + zeros(fraction - tail.utf8.count) + tail
  }

  static func text(_ v: Float) -> String { text(Double(v)) }
}
