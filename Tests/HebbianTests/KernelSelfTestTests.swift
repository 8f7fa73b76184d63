import Testing

@testable import Hebbian

@Suite struct KernelSelfTestTests {
  @Test func everySupportedVariantOfEveryKernelMatchesTheScalarReference() {
    let rows = KernelSelfTest.run()
    // Each row's own bound: (L+2)ε for a length-L reduction at L = 67 (8.2e-6), 2ε for
    // one product-add, 0 for scal, (2d+k+10)ε for a rule step (see KernelSelfTest).
    for r in rows {
      #expect(
        r.passed, "\(r.family) \(r.kernel) \(r.isa.name): \(r.maxError) > \(r.tolerance)")
      #expect(r.maxError <= r.tolerance)
    }
    // One row per kernel of the catalogue and supported variant, none twice.
    let catalogue = KernelSweep.catalogue
    #expect(catalogue.count >= 20)
    #expect(rows.count == ISA.supported.count * catalogue.count)
    for isa in ISA.supported {
      for k in catalogue {
        let found = rows.filter { $0.family == k.family && $0.kernel == k.name && $0.isa == isa }
        #expect(found.count == 1, "\(k.family) \(k.name) \(isa.name): \(found.count) rows")
        #expect((found.first?.cases ?? 0) >= 67, "\(k.family) \(k.name) \(isa.name): too few cases")
      }
    }
    // The level-1/2 family has a body for every supported variant: no fallback there.
    #expect(rows.allSatisfy { $0.family != "blas" || !$0.scalarFallback })
    #if arch(x86_64)
      #expect(rows.contains { $0.isa == .avx2 } == ISA.avx2.isSupported)
    #endif
  }

  @Test func sweepErrorTreatsNaNAndTouchedGuardsAsInfinite() {
    #expect(KernelSweep.error(1, 1 + 2 * Float.ulpOfOne, scale: 1) == 2 * Float.ulpOfOne)
    #expect(KernelSweep.error(3, 3 + 6 * Float.ulpOfOne, scale: 3) == 2 * Float.ulpOfOne)
    #expect(KernelSweep.error(0, 0, scale: 0) == 0)
    #expect(KernelSweep.error(1, .nan, scale: 1) == .infinity)
    #expect(KernelSweep.error(.nan, .nan, scale: 1) == .infinity)
    // An untouched element must keep its bits: -0 for 0 is a write.
    #expect(KernelSweep.error(0, -0.0, scale: 0) == .infinity)
    #expect(KernelSweep.error(.infinity, .infinity, scale: 0) == 0)
  }
}
