import Hebbian
import Testing

@testable import HebbianCLI

@Suite struct SelfTestCommandTests {
  @Test func selftestIsRegisteredAndPassesOnThisMachine() {
    #expect(Command.all.contains { $0.name == "selftest" })
    // Exit status 0 means every row was within its tolerance (1 on any failure).
    #expect(HebbianMain.run(["hebbian", "selftest", "--seed", "7"]) == 0)
  }

  @Test func rowsFormatAsOneTableLine() {
    let row = KernelSelfTestRow(
      family: "blas", kernel: "dot", isa: .scalar, cases: 268, maxError: 0,
      tolerance: 69 * Float.ulpOfOne)
    #expect(
      SelfTestCommand.line(row)
        == "blas   dot            scalar    268   0.00e+00   8.23e-06  PASS")
  }
}
