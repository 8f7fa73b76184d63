/// Classical fourth-order Runge–Kutta for dy/dt = f(y) on `count` values at a fixed step,
/// with its stages allocated once.
struct RungeKutta4: ~Copyable {
  var probe: OwnedBuffer<Float>
  var k1: OwnedBuffer<Float>, k2: OwnedBuffer<Float>
  var k3: OwnedBuffer<Float>, k4: OwnedBuffer<Float>

  init(count: Int) {
    probe = OwnedBuffer(count: count)
    k1 = OwnedBuffer(count: count)
    k2 = OwnedBuffer(count: count)
    k3 = OwnedBuffer(count: count)
    k4 = OwnedBuffer(count: count)
  }

  /// Advances `y` by one step `h`, with `f(state, out)` writing dy/dt at `state` into `out`.
  /// Returns true, without stepping, when max|dy/dt| at y is at most `settledBelow`: the
  /// state has come to rest.
  @inline(__always)
  mutating func step(
    _ y: inout OwnedBuffer<Float>, by h: Float, settledBelow: Float,
    _ f: (borrowing OwnedBuffer<Float>, inout OwnedBuffer<Float>) -> Void
  ) -> Bool {
    let n = y.count
    f(y, &k1)
    var speed: Float = 0
    for i in 0..<n { speed = max(speed, abs(k1[i])) }
    if speed <= settledBelow { return true }
    for i in 0..<n { probe[i] = y[i] + 0.5 * h * k1[i] }
    f(probe, &k2)
    for i in 0..<n { probe[i] = y[i] + 0.5 * h * k2[i] }
    f(probe, &k3)
    for i in 0..<n { probe[i] = y[i] + h * k3[i] }
    f(probe, &k4)
    for i in 0..<n {
      // (k1 + 2 k2 + 2 k3 + k4) summed left to right, spelt out for the type checker.
      var s: Float = k1[i] + 2 * k2[i]
      s += 2 * k3[i]
      s += k4[i]
      y[i] += h / 6 * s
    }
    return false
  }
}
