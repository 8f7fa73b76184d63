import Hebbian
import Testing

@testable import HebbianCLI

@Suite struct BenchCommandTests {
  /// A tiny run of every rule on every supported variant, with the FMA probe calibrated.
  /// Exit status 0 is the contract; the numbers are timing and not asserted.
  @Test func shortRunOfEveryRuleAndVariantSucceeds() {
    let status = HebbianMain.run([
      "hebbian", "bench", "--seconds", "0.01", "--dim", "33", "--components", "3",
    ])
    #expect(status == 0)
  }

  @Test func singleRuleAndVariantWithGivenPeakSucceeds() {
    let status = HebbianMain.run([
      "hebbian", "bench", "--rule", "gha", "--isa", "scalar", "--seconds", "0.01", "--dim", "16",
      "--components", "2", "--peak-gflops", "100",
    ])
    #expect(status == 0)
  }

  @Test func unknownISAIsUsageError() {
    #expect(HebbianMain.run(["hebbian", "bench", "--isa", "sse9", "--seconds", "0.01"]) == 2)
  }

  /// AVX2 and NEON never both exist on one CPU, so some variant is always unavailable.
  @Test func unavailableISAIsUsageError() throws {
    let missing = try #require(ISA.allCases.first { !$0.isSupported })
    #expect(HebbianMain.run(["hebbian", "bench", "--isa", missing.name, "--seconds", "0.01"]) == 2)
  }

  @Test func badSecondsAndPeakAreUsageErrors() {
    #expect(HebbianMain.run(["hebbian", "bench", "--seconds", "0"]) == 2)
    #expect(HebbianMain.run(["hebbian", "bench", "--seconds", "0.01", "--peak-gflops", "-1"]) == 2)
    #expect(HebbianMain.run(["hebbian", "bench", "--rule", "hopfield"]) == 2)
  }
}
