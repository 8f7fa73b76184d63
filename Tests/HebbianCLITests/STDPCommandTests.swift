import Hebbian
import Testing

@testable import HebbianCLI

@Suite struct STDPCommandTests {
  @Test func stdpIsRegisteredAndTakesAMode() {
    #expect(Command.all.contains { $0.name == "stdp" && $0.allowPositionals })
    // Usage errors exit with 2: no mode, an unknown mode, a bad pairing, a negative τ.
    #expect(HebbianMain.run(["hebbian", "stdp"]) == 2)
    #expect(HebbianMain.run(["hebbian", "stdp", "triplet"]) == 2)
    #expect(HebbianMain.run(["hebbian", "stdp", "window", "--pairing", "some"]) == 2)
    #expect(HebbianMain.run(["hebbian", "stdp", "window", "--tau-plus", "-5"]) == 2)
  }

  @Test func windowModeRunsAndWritesItsPlot() throws {
    let path = "/tmp/hebbian-stdp-window-test-\(UInt32.random(in: 0...UInt32.max)).svg"
    #expect(
      HebbianMain.run([
        "hebbian", "stdp", "window", "--range", "20", "--spacing", "10", "--pairing", "nearest",
        "--plot", path,
      ]) == 0)
    let svg = String(decoding: try Files.readAll(path), as: UTF8.self)
    // Two series (LTD and LTP branches), each one <path>.
    var paths = 0
    var rest = Substring(svg)
    while let r = rest.firstRange(of: "<path ") {
      paths += 1
      rest = rest[r.upperBound...]
    }
    #expect(svg.hasPrefix("<svg") && paths == 2)
  }

  /// The new modes run at small size; an option of another mode is a usage error naming it.
  @Test func rewardAndScalingModesRunAndRejectOtherModesOptions() {
    #expect(
      HebbianMain.run(["hebbian", "stdp", "reward", "--seconds", "20", "--inputs", "20"]) == 0)
    #expect(HebbianMain.run(["hebbian", "stdp", "scaling", "--seconds", "20"]) == 0)
    #expect(HebbianMain.run(["hebbian", "stdp", "scaling", "--seconds", "10"]) == 2)
    #expect(HebbianMain.run(["hebbian", "stdp", "reward", "--modulation", "1"]) == 2)
    #expect(HebbianMain.run(["hebbian", "stdp", "window", "--g-max", "0.1"]) == 2)
    #expect(HebbianMain.run(["hebbian", "stdp", "window", "--seconds", "5"]) == 2)
    #expect(HebbianMain.run(["hebbian", "stdp", "balance", "--inputs", "5"]) == 2)
  }
}
