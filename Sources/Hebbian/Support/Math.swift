internal import CHebbian

/// Elementary functions that work the same in hosted and Embedded Swift builds (which have no
/// libm import). Off the hot paths: kernels do their own arithmetic in C.
public enum Math {
  @inline(__always) public static func exp(_ x: Double) -> Double { hb_exp(x) }
  @inline(__always) public static func log(_ x: Double) -> Double { hb_log(x) }
  @inline(__always) public static func tanh(_ x: Double) -> Double { hb_tanh(x) }
  @inline(__always) public static func sin(_ x: Double) -> Double { hb_sin(x) }
  @inline(__always) public static func cos(_ x: Double) -> Double { hb_cos(x) }
  @inline(__always) public static func pow(_ x: Double, _ y: Double) -> Double { hb_pow(x, y) }
  /// log|Γ(x)|.
  @inline(__always) public static func logGamma(_ x: Double) -> Double { hb_lgamma(x) }
  @inline(__always) public static func exp(_ x: Float) -> Float { hb_expf(x) }
  @inline(__always) public static func log(_ x: Float) -> Float { hb_logf(x) }
  @inline(__always) public static func tanh(_ x: Float) -> Float { hb_tanhf(x) }
  @inline(__always) public static func pow(_ x: Float, _ y: Float) -> Float { hb_powf(x, y) }
}

/// Fisher–Yates shuffle of the first `n` entries of `order` in place, from a seeded generator:
/// the one order every seeded pass in the library draws (no allocation).
package func shuffle(_ order: inout MutableSpan<Int>, count n: Int, _ rng: inout SeededGenerator) {
  var a = n - 1
  while a > 0 {
    order.swapAt(a, Int(rng.next() % UInt64(a + 1)))
    a -= 1
  }
}
