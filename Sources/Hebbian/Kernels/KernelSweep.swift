internal import CHebbian

/// The kernel sweep shared by the unit tests and ``KernelSelfTest`` (`hebbian selftest`):
/// the kernels come from the C catalogue (one row of `hb_kernels.inc` each), the variants
/// from ``ISA/supported``, and each kernel has one ``Case`` that runs the scalar reference
/// and a variant over the kernel's shape table and feeds every output element, with its
/// condition magnitude S, to a ``Tally``. A catalogue row without a case fails the tests
/// (and its self-test row), so a new kernel cannot go unchecked.
package struct KernelSweep {
  /// One row of the C catalogue.
  package struct Kernel: Sendable {
    /// Catalogue position (the index `hb_kernel_variant` takes).
    package var index: Int
    /// The op without the `hb_` prefix and `_f32` suffix: "dot", "gha_step", …
    package var name: String
    /// "blas", "rule", "memory", "plastic" or "plasticity".
    package var family: String
  }

  /// Every dispatched kernel, in the order of the kernel list.
  package static var catalogue: [Kernel] {
    var out: [Kernel] = []
    for i in 0..<hb_kernel_count() {
      guard let info = hb_kernel_at(i)?.pointee else { continue }
      let full = String(cString: info.name)
      out.append(
        Kernel(
          index: i, name: String(full.dropFirst(3).dropLast(4)),
          family: String(cString: info.family)))
    }
    return out
  }

  /// Every variant the running CPU supports, scalar first.
  package static var variants: [ISA] { ISA.supported }

  /// True when `isa` runs the scalar body of `kernel` (no body of its own for that variant).
  package static func fallsBackToScalar(_ kernel: Kernel, _ isa: ISA) -> Bool {
    isa != .scalar
      && hb_kernel_variant(kernel.index, isa.c) == hb_kernel_variant(kernel.index, HB_ISA_SCALAR)
  }

  /// How one kernel is checked: `run` compares the scalar reference with one variant over
  /// the kernel's shape table, and every `Tally` error must stay within `tolerance`.
  package struct Case {
    package var kernel: String
    package var tolerance: Float
    var run: (inout KernelSweep, ISA, inout Tally) -> Void
  }

  /// Every case, one per kernel of the catalogue (the tests check the two lists match).
  package static var cases: [Case] {
    blasCases + ruleCases + memoryCases + plasticCases + plasticityCases
  }

  package static func sweepCase(_ name: String) -> Case? { cases.first { $0.kernel == name } }

  package var rng: SeededGenerator

  /// Each kernel draws from its own stream, so a row is reproducible on its own.
  package init(seed: UInt64, kernel: Kernel) {
    rng = SeededGenerator(seed: seed &+ 0x9E37_79B9 &* UInt64(kernel.index + 1))
  }

  /// One kernel under one variant against the scalar reference: the self-test row.
  package static func run(_ kernel: Kernel, _ isa: ISA, seed: UInt64) -> KernelSelfTestRow {
    var r = hb_sweep_result()
    if hb_kernel_sweep(kernel.index, isa.c, seed, &r), r.tolerance >= 0 {
      return KernelSelfTestRow(
        family: kernel.family, kernel: kernel.name, isa: isa, cases: r.cases,
        maxError: r.max_error, tolerance: r.tolerance,
        scalarFallback: fallsBackToScalar(kernel, isa))
    }
    return runSwift(kernel, isa, seed: seed)
  }

  /// TRANSITIONAL: the Swift case, until every contract is written in C.
  package static func runSwift(_ kernel: Kernel, _ isa: ISA, seed: UInt64) -> KernelSelfTestRow {
    var t = Tally()
    var tolerance: Float = 0
    if let c = sweepCase(kernel.name) {
      var sweep = KernelSweep(seed: seed, kernel: kernel)
      tolerance = c.tolerance
      c.run(&sweep, isa, &t)
    } else {
      t.cases = 0  // no case: the row fails
      t.maxError = .infinity
    }
    return KernelSelfTestRow(
      family: kernel.family, kernel: kernel.name, isa: isa, cases: t.cases, maxError: t.maxError,
      tolerance: tolerance, scalarFallback: fallsBackToScalar(kernel, isa))
  }

  /// The scalar table and the table of `isa`, or nil (and an infinite error) when `isa` has
  /// none: a supported variant must have every table.
  static func tables<T>(
    _ lookup: (hb_isa) -> UnsafePointer<T>?, _ isa: ISA, _ t: inout Tally
  ) -> (ref: T, k: T)? {
    guard let ref = lookup(HB_ISA_SCALAR), let k = lookup(isa.c) else {
      t.maxError = .infinity
      return nil
    }
    return (ref.pointee, k.pointee)
  }

  /// Every W of a matrix-kernel sweep: k from `ks`, d from ``lengths``, rows at leading
  /// dimension d + 3 (the gap between rows must stay untouched, as the guard tail must);
  /// `nw` is the number of elements W spans.
  static func matrixShapes(
    _ ks: [Int], _ body: (_ k: Int, _ d: Int, _ ldw: Int, _ nw: Int) -> Void
  ) {
    for k in ks {
      for d in lengths {
        let ldw = d + 3
        body(k, d, ldw, (k - 1) * ldw + d)
      }
    }
  }

  /// Starts the reference's and the variant's copy of an operand equal to `source`.
  static func twin(
    _ source: UnsafeMutablePointer<Float>, _ ref: UnsafeMutablePointer<Float>,
    _ variant: UnsafeMutablePointer<Float>, _ count: Int
  ) {
    ref.update(from: source, count: count)
    variant.update(from: source, count: count)
  }

  mutating func fill(_ p: UnsafeMutablePointer<Float>, _ count: Int, scale: Float = 1) {
    for i in 0..<count { p[i] = scale * Float(rng.gaussian()) }
  }

  /// Buffers a case allocates once and reuses for every shape.
  static func scratch(_ slots: Int, floats: Int) -> [Buffer<Float>] {
    (0..<slots).map { _ in Buffer(count: floats) }
  }

  /// Owned storage for one operand: `offset` elements past a 64-byte boundary (so a vector
  /// load at the operand's start is not aligned unless a test asks for it) with `guardCount`
  /// elements past `count` that a kernel must never write. Every element starts as `fill`.
  package final class Buffer<Element: BitwiseCopyable> {
    package static var defaultGuard: Int { 19 }
    let base: UnsafeMutableRawPointer
    package let p: UnsafeMutablePointer<Element>
    package let count: Int
    package let offset: Int
    package let guardCount: Int
    /// `count` plus the guard tail: every element a comparison covers.
    package var total: Int { count + guardCount }

    package init(count: Int, offset: Int = 1, guardCount: Int = defaultGuard, fill: Element) {
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

    package subscript(i: Int) -> Element {
      get { p[i] }
      set { p[i] = newValue }
    }

    /// Same size, offset and contents (guard tail included).
    package func copy(offset: Int? = nil) -> Buffer {
      let c = Buffer(
        count: count, offset: offset ?? self.offset, guardCount: guardCount, fill: p[0])
      c.p.update(from: p, count: total)
      return c
    }

    /// The first `count` elements.
    package var array: [Element] { Array(UnsafeBufferPointer(start: p, count: count)) }
  }

  /// The worst normalised error seen for one row.
  package struct Tally {
    package var cases = 0
    package var maxError: Float = 0

    package init() {}

    /// |ref − got| / scale; scale 0 demands bit equality. NaN anywhere counts as infinite.
    package mutating func compare(_ ref: Float, _ got: Float, scale: Float) {
      let e: Float
      if scale == 0 {
        e = ref.bitPattern == got.bitPattern ? 0 : .infinity
      } else {
        let d = (ref - got).magnitude / scale
        e = d.isNaN ? .infinity : d
      }
      if e > maxError { maxError = e }
    }

    /// Compares `count` elements; `scale(i)` is element i's S (0: must be untouched/exact).
    package mutating func compare(
      _ ref: UnsafePointer<Float>, _ got: UnsafePointer<Float>, _ count: Int,
      scale: (Int) -> Float
    ) {
      for i in 0..<count { compare(ref[i], got[i], scale: scale(i)) }
    }
  }
}

extension KernelSweep.Buffer where Element == Float {
  package convenience init(count: Int, offset: Int = 1, guardCount: Int = defaultGuard) {
    self.init(count: count, offset: offset, guardCount: guardCount, fill: 0)
  }

  /// Standard normal values times `scale` over every element, guard tail included.
  package func fill(_ g: inout SeededGenerator, scale: Float = 1) {
    for i in 0..<total { p[i] = scale * Float(g.gaussian()) }
  }
}
