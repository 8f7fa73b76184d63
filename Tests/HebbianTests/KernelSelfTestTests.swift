import Testing

@testable import Hebbian

@Suite struct KernelSelfTestTests {
  static let expected: [(family: String, kernels: [String])] = [
    ("blas", ["dot", "axpy", "scal", "nrm2", "gemv", "gemv_t", "ger", "rank_k"]),
    ("rules", ["oja_step", "subspace_step", "gha_step"]),
    ("plasticity", ["hebb_decay_step", "instar_step", "bcm_step", "stdp_trace_step"]),
    ("memory", ["bit_overlap", "softmax"]),
  ]

  @Test func everySupportedVariantOfEveryKernelMatchesTheScalarReference() {
    let rows = KernelSelfTest.run()
    // Each row's own bound: (L+2)ε for a length-L reduction at L = 67 (8.2e-6), 2ε for
    // one product-add, 0 for scal, (2d+k+10)ε for a rule step (see KernelSelfTest).
    for r in rows {
      #expect(
        r.passed, "\(r.family) \(r.kernel) \(r.isa.name): \(r.maxError) > \(r.tolerance)")
      #expect(r.maxError <= r.tolerance)
    }
    #expect(rows.count == ISA.supported.count * Self.expected.reduce(0) { $0 + $1.kernels.count })
    for isa in ISA.supported {
      for (family, kernels) in Self.expected {
        for kernel in kernels {
          let row = rows.first { $0.family == family && $0.kernel == kernel && $0.isa == isa }
          #expect(row != nil, "\(family) \(kernel) \(isa.name) missing")
          #expect((row?.cases ?? 0) >= 67, "\(family) \(kernel) \(isa.name): too few cases")
        }
      }
    }
    // The level-1/2 family has a body for every supported variant: no fallback there.
    #expect(rows.allSatisfy { $0.family != "blas" || !$0.scalarFallback })
    #if arch(x86_64)
      #expect(rows.contains { $0.isa == .avx2 } == ISA.avx2.isSupported)
    #endif
  }

  @Test func tallyTreatsNaNAndTouchedGuardsAsInfiniteError() {
    var t = KernelSelfTest.Tally()
    t.compare(1, 1 + 2 * Float.ulpOfOne, scale: 1)
    #expect(t.maxError == 2 * Float.ulpOfOne)  // |Δ|/S exactly, no slack
    t.compare(0, 0, scale: 0)
    #expect(t.maxError == 2 * Float.ulpOfOne)
    t.compare(1, .nan, scale: 1)
    #expect(t.maxError == .infinity)
    var u = KernelSelfTest.Tally()
    u.compare(0, -0.0, scale: 0)  // an untouched element must keep its bits
    #expect(u.maxError == .infinity)
  }
}
