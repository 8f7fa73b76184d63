import Hebbian

/// Owned storage for one operand: `offset` elements past a 64-byte boundary (so a vector
/// load at the operand's start is not aligned unless a test asks for it) with `guardCount`
/// elements past `count` that a kernel must never write. Every element starts as `fill`. The
/// Swift sweeps' operand, laid out as the C contracts' `hb_sweep_floats` lays out theirs.
final class SweepBuffer<Element: BitwiseCopyable> {
  static var defaultGuard: Int { 19 }
  let base: UnsafeMutableRawPointer
  let p: UnsafeMutablePointer<Element>
  let count: Int
  let offset: Int
  let guardCount: Int
  /// `count` plus the guard tail: every element a comparison covers.
  var total: Int { count + guardCount }

  init(count: Int, offset: Int = 1, guardCount: Int = defaultGuard, fill: Element) {
    self.count = count
    self.offset = offset
    self.guardCount = guardCount
    let stride = MemoryLayout<Element>.stride
    base = .allocate(
      byteCount: Swift.max((offset + count + guardCount) * stride, 1), alignment: 64)
    p = (base + offset * stride).bindMemory(to: Element.self, capacity: count + guardCount)
    p.initialize(repeating: fill, count: count + guardCount)
  }
  deinit { base.deallocate() }

  subscript(i: Int) -> Element {
    get { p[i] }
    set { p[i] = newValue }
  }

  /// Same size, offset and contents (guard tail included).
  func copy(offset: Int? = nil) -> SweepBuffer {
    let c = SweepBuffer(
      count: count, offset: offset ?? self.offset, guardCount: guardCount, fill: p[0])
    c.p.update(from: p, count: total)
    return c
  }

  /// The first `count` elements.
  var array: [Element] { Array(UnsafeBufferPointer(start: p, count: count)) }
}

extension SweepBuffer where Element == Float {
  convenience init(count: Int, offset: Int = 1, guardCount: Int = defaultGuard) {
    self.init(count: count, offset: offset, guardCount: guardCount, fill: 0)
  }

  /// Standard normal values times `scale` over every element, guard tail included.
  func fill(_ g: inout SeededGenerator, scale: Float = 1) {
    for i in 0..<total { p[i] = scale * Float(g.gaussian()) }
  }
}
