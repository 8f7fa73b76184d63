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
}
