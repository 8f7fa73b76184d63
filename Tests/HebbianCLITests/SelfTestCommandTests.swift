import Hebbian
import Testing

@testable import HebbianCLI

@Suite struct SelfTestCommandTests {
  @Test func selftestIsRegisteredAndPassesOnThisMachine() {
    #expect(Command.all.contains { $0.name == "selftest" })
    // Exit status 0 means every row was within its tolerance (1 on any failure).
    #expect(HebbianMain.run(["hebbian", "selftest", "--seed", "7"]) == 0)
  }

  /// Every kernel of the catalogue fits its column: the variant starts where the header's does.
  @Test func everyKernelNameFitsItsColumn() {
    let column = Array(SelfTestCommand.header().utf8).firstRange(of: Array("isa".utf8))!.lowerBound
    for k in KernelSweep.catalogue {
      let row = KernelSelfTestRow(
        family: k.family, kernel: k.name, isa: .scalar, cases: 1, maxError: 0, tolerance: 0)
      let line = Array(SelfTestCommand.line(row).utf8)
      #expect(
        line[column - 1] == UInt8(ascii: " ") && line[column...].starts(with: "scalar".utf8),
        "\(k.name)")
    }
  }

  @Test func rowsFormatAsOneTableLine() {
    let row = KernelSelfTestRow(
      family: "blas", kernel: "dot", isa: .scalar, cases: 268, maxError: 0,
      tolerance: 69 * Float.ulpOfOne)
    #expect(
      SelfTestCommand.line(row)
        == "blas       dot                   scalar    268   0.00e+00   8.23e-06  PASS")
  }
}
