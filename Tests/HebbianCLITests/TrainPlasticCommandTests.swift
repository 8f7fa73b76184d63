import Glibc
import Hebbian
import Testing

@testable import HebbianCLI

@Suite struct TrainPlasticCommandTests {
  @Test func savesAModelThatDecodesAndRejectsCorruptFiles() throws {
    let path = "/tmp/hebbian-plastic-\(getpid()).hbpl"
    defer { unlink(path) }
    let status = HebbianMain.run([
      "hebbian", "train-plastic", "--bits", "8", "--patterns", "1", "--episodes", "20",
      "--report-every", "10", "--eval-episodes", "5", "--no-baseline", "--save", path,
    ])
    #expect(status == 0)
    let bytes = try Files.readAll(path)
    // Exact: 20-byte header + w and alpha, 8·8 floats each.
    #expect(bytes.count == 20 + 2 * 64 * 4)
    let net = try PlasticModelFile.decode(bytes, path: path)
    #expect(net.size == 8)
    #expect(net.rule == .decay)
    #expect(net.eta >= 0 && net.eta <= 1)
    #expect(throws: CLIError.self) { try PlasticModelFile.decode(Array(bytes.dropLast(4)), path: path) }
    var bad = bytes
    bad[0] = 0
    #expect(throws: CLIError.self) { try PlasticModelFile.decode(bad, path: path) }
  }

  @Test func badOptionsAreUsageErrors() {
    #expect(HebbianMain.run(["hebbian", "train-plastic", "--rule", "bogus"]) == 2)
    #expect(HebbianMain.run(["hebbian", "train-plastic", "--degrade", "1.5"]) == 2)
  }
}

@Suite struct CompetingCommandTests {
  @Test func runsAtSmallSizeAndRejectsBadOptions() {
    #expect(
      HebbianMain.run([
        "hebbian", "competing", "--train", "100", "--test", "50", "--epochs", "2", "--batch", "20",
        "--readout-epochs", "2",
      ]) == 0)
    #expect(HebbianMain.run(["hebbian", "competing", "--rank", "1"]) == 2)
    #expect(HebbianMain.run(["hebbian", "competing", "--hidden", "4", "--rank", "9"]) == 2)
  }
}
