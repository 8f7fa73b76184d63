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
    while digits % 10 == 0 && digits > 0 { digits /= 10 }
    let d = Array(String(digits).utf8)  // the significant digits, the first non-zero
    var out: [UInt8] = v < 0 ? [UInt8(ascii: "-")] : []
    if e >= -4 && e < 6 {
      if e < 0 {
        out += Array("0.".utf8) + [UInt8](repeating: UInt8(ascii: "0"), count: -e - 1) + d
      } else {
        for i in 0...e { out.append(i < d.count ? d[i] : UInt8(ascii: "0")) }
        if d.count > e + 1 { out += [UInt8(ascii: ".")] + d[(e + 1)...] }
      }
    } else {
      out.append(d[0])
      if d.count > 1 { out += [UInt8(ascii: ".")] + d[1...] }
      out += Array("e\(e)".utf8)
    }
    return String(decoding: out, as: UTF8.self)
  }

  static func text(_ v: Float) -> String { text(Double(v)) }
}
