import CHebbian
import Testing

@Suite struct DispatchTests {
  @Test func scalarAlwaysAvailableAndNamesRoundTrip() {
    #expect(hb_isa_supported(HB_ISA_SCALAR))
    #expect(hb_blas_kernels_for(HB_ISA_SCALAR) != nil)
    #expect(hb_rule_kernels_for(HB_ISA_SCALAR) != nil)
    for raw: UInt32 in 0..<3 {
      var parsed = HB_ISA_SCALAR
      #expect(hb_isa_parse(hb_isa_name(hb_isa(rawValue: raw)), &parsed) == HB_OK)
      #expect(parsed.rawValue == raw)
    }
    var out = HB_ISA_SCALAR
    #expect(hb_isa_parse("sse9", &out) == HB_ERR_ISA_UNKNOWN)
  }

  /// hb_isa_init reports what the process's HEBBIAN_ISA did (HB_OK when unset or honoured;
  /// CI also runs the suite under HEBBIAN_ISA=scalar). A variant the CPU lacks makes it fail:
  /// Scripts/check-docs.sh runs the README's C program so, from C.
  @Test func isaInitReportsTheEnvironment() {
    #expect(hb_isa_init() == hb_isa_env_status())
    #expect(hb_isa_init() == HB_OK)
    #expect(hb_isa_supported(hb_isa_active()))
  }

  /// Every row of the kernel list has a body under every supported variant, and a variant
  /// the list marks as having its own body does not fall back to the scalar one.
  @Test func everyListedKernelResolvesUnderEverySupportedVariant() {
    let count = hb_kernel_count()
    #expect(count >= 20)
    #expect(hb_kernel_at(count) == nil)
    var names = Set<String>()
    for i in 0..<count {
      let info = hb_kernel_at(i)!.pointee
      let name = String(cString: info.name)
      #expect(name.hasPrefix("hb_") && name.hasSuffix("_f32"))
      #expect(names.insert(name).inserted, "\(name) listed twice")
      let scalar = hb_kernel_variant(i, HB_ISA_SCALAR)
      #expect(scalar != nil)
      for (isa, own) in [(HB_ISA_AVX2, info.has_avx2), (HB_ISA_NEON, info.has_neon)]
      where hb_isa_supported(isa) {
        let body = hb_kernel_variant(i, isa)
        #expect(body != nil)
        #expect((body != scalar) == own, "\(name) under \(String(cString: hb_isa_name(isa)))")
      }
    }
  }
}
