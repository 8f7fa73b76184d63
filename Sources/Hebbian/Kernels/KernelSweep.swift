internal import CHebbian

/// The kernel sweep shared by the unit tests and ``KernelSelfTest`` (`hebbian selftest`):
/// the kernels come from the C catalogue (one row of `hb_kernels.inc` each), the variants
/// from ``ISA/supported``, and each kernel's sweep is its contract, written in C beside its
/// bodies (`Sources/CHebbian/<op>/<op>-contract.c`): it runs the scalar reference and a
/// variant over the kernel's shape table and compares every output element against the
/// element's condition magnitude S. The list reaches every contract, so a row without one
/// does not link.
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
          index: i, name: full.droppingBytes(prefix: 3, suffix: 4),
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

  /// One kernel under one variant against the scalar reference: the self-test row. A
  /// variant this build or CPU lacks reports no cases (a failing row).
  package static func run(_ kernel: Kernel, _ isa: ISA, seed: UInt64) -> KernelSelfTestRow {
    var r = hb_sweep_result(cases: 0, max_error: .infinity, tolerance: 0)
    _ = hb_kernel_sweep(kernel.index, isa.c, seed, &r)
    return KernelSelfTestRow(
      family: kernel.family, kernel: kernel.name, isa: isa, cases: r.cases,
      maxError: r.max_error, tolerance: r.tolerance,
      scalarFallback: fallsBackToScalar(kernel, isa))
  }

  /// The error one comparison of a sweep contributes: |ref − got| / scale, infinite for NaN;
  /// scale 0 demands the same bits (an element a kernel must not touch, or an exact result).
  package static func error(_ ref: Float, _ got: Float, scale: Float) -> Float {
    hb_sweep_error(ref, got, scale)
  }
}
