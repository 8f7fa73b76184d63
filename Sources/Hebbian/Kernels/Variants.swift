internal import CHebbian

/// The rule-step kernels of one ISA variant, called directly instead of through the
/// process-wide dispatch: what `hebbian bench` times side by side. Pointer-based and
/// unchecked, so only this package uses it; library users call ``Kernels`` or a learner.
package struct RuleStepKernels {
  let table: hb_rule_kernels
  package let isa: ISA

  /// Nil when `isa` is not compiled into this build or the CPU lacks it.
  package init?(isa: ISA) {
    guard isa.isSupported, let t = hb_rule_kernels_for(isa.c) else { return nil }
    table = t.pointee
    self.isa = isa
  }

  /// Oja's step on w (d), returning y = w·x before the step.
  @inline(__always)
  package func ojaStep(
    dimension d: Int, eta: Float, _ x: UnsafePointer<Float>, _ w: UnsafeMutablePointer<Float>
  ) -> Float {
    table.oja_step(d, eta, x, w)
  }

  /// Oja's subspace step on W (k×d, leading dimension ldw) with row rates eta (k), y (k) =
  /// W x before the step.
  @inline(__always)
  package func subspaceStep(
    components k: Int, dimension d: Int, eta: UnsafePointer<Float>, _ x: UnsafePointer<Float>,
    _ w: UnsafeMutablePointer<Float>, ldw: Int, _ y: UnsafeMutablePointer<Float>
  ) {
    table.subspace_step(k, d, eta, x, w, ldw, y)
  }

  /// Sanger's GHA step on W (k×d, leading dimension ldw) with row rates eta (k), y (k) = W x
  /// before the step.
  @inline(__always)
  package func ghaStep(
    components k: Int, dimension d: Int, eta: UnsafePointer<Float>, _ x: UnsafePointer<Float>,
    _ w: UnsafeMutablePointer<Float>, ldw: Int, _ y: UnsafeMutablePointer<Float>
  ) {
    table.gha_step(k, d, eta, x, w, ldw, y)
  }

  /// `steps` updates of one rule (0 Oja, 1 subspace, 2 GHA) on W (k×d, ldw = d) in a C loop
  /// over a pool of samples, from sample `cursor` on (advanced): timed around the call, the
  /// kernel's own cost per update (`hebbian bench`'s C-loop column).
  package func stepLoop(
    rule: Int, steps: Int, components k: Int, dimension d: Int, eta: UnsafePointer<Float>,
    pool xs: UnsafePointer<Float>, poolSize: Int, cursor: inout Int,
    _ w: UnsafeMutablePointer<Float>, _ y: UnsafeMutablePointer<Float>
  ) {
    var table = self.table
    var c = cursor
    hb_rule_step_loop_f32(
      &table, hb_step_rule(rawValue: UInt32(rule)), steps, k, d, eta, xs, poolSize, &c, w, y)
    cursor = c
  }
}

/// `steps` GHA steps at rate `eta` on W (k×d, ldw = d) held in registers, over a pool of
/// samples from `cursor` on (advanced): timed, the step's dependency chain, the bound of the
/// kernel and of the PCA driver (`hb_gha_chain_loop_f32`). Returns the steps run, 0 when the
/// instrument has no body for the shape (AVX2 only, d ≤ 8, k ≤ 4).
package func ghaChainLoop(
  steps: Int, components k: Int, dimension d: Int, eta: Float, pool xs: UnsafePointer<Float>,
  poolSize: Int, cursor: inout Int, _ w: UnsafeMutablePointer<Float>
) -> Int {
  var c = cursor
  let done = hb_gha_chain_loop_f32(steps, k, d, eta, xs, poolSize, &c, w)
  cursor = c
  return done
}

extension ISA {
  /// Runs the variant's peak-throughput probe (independent FMA chains in registers) for
  /// `iterations` rounds and returns the floating-point operations it performed; `sink`
  /// keeps the result alive. Timing it gives the core's FMA peak for "% of peak" figures.
  package func fmaBurn(iterations: UInt64, sink: inout Float) -> UInt64 {
    hb_fma_burn_f32(c, iterations, &sink)
  }
}
