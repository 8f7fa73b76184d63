// TRANSITIONAL: every C contract reproduces its Swift case bit for bit.
import CHebbian
import Hebbian
import Testing

@Suite struct ContractPortTests {
  @Test(arguments: KernelSweep.catalogue.map(\.name))
  func cContractMatchesSwiftCase(kernel: String) throws {
    let k = try #require(KernelSweep.catalogue.first { $0.name == kernel })
    for isa in KernelSweep.variants {
      var r = hb_sweep_result()
      #expect(hb_kernel_sweep(k.index, hb_isa(rawValue: UInt32(isa.rawValue)), 0x5EED, &r))
      if r.tolerance < 0 { continue }  // not ported yet
      let s = KernelSweep.runSwift(k, isa, seed: 0x5EED)
      print("PORT \(kernel) \(isa.name) cases \(r.cases)/\(s.cases) err \(r.max_error)/\(s.maxError) tol \(r.tolerance)/\(s.tolerance)")
      #expect(r.cases == s.cases)
      #expect(r.max_error.bitPattern == s.maxError.bitPattern)
      #expect(r.tolerance.bitPattern == s.tolerance.bitPattern)
    }
  }
}
