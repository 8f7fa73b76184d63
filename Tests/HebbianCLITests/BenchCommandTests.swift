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
    // Buffers beyond the budget are refused before any is allocated (this one would be 120 TB).
    #expect(
      HebbianMain.run([
        "hebbian", "bench", "--dim", "100000000", "--components", "100000", "--seconds", "0.01",
      ]) == 2)
  }

  /// The C-loop column times the same updates as the per-call one: the same kernel on the
  /// same samples in the same order leaves W and y bit for bit as the Swift loop does.
  @Test(arguments: [0, 1, 2])
  func theCLoopRunsTheSameUpdatesAsTheSwiftLoop(rule: Int) throws {
    let (d, k, pool, steps) = (7, rule == 0 ? 1 : 3, 5, 12)
    var rng = SeededGenerator(seed: 9)
    let xs = (0..<(pool * d)).map { _ in Float(rng.gaussian()) * 0.3 }
    let w0 = (0..<(k * d)).map { _ in Float(rng.gaussian()) * 0.3 }
    let eta = [Float](repeating: 0.01, count: k)
    for isa in ISA.supported {
      let t = try #require(RuleStepKernels(isa: isa))
      var wSwift = w0, ySwift = [Float](repeating: 0, count: k)
      var wC = w0, yC = [Float](repeating: 0, count: k)
      for s in 0..<steps {
        let x = Array(xs[(s % pool * d)..<(s % pool * d + d)])
        switch rule {
        case 0: ySwift[0] = t.ojaStep(dimension: d, eta: eta[0], x, &wSwift)
        case 1:
          t.subspaceStep(components: k, dimension: d, eta: eta, x, &wSwift, ldw: d, &ySwift)
        default: t.ghaStep(components: k, dimension: d, eta: eta, x, &wSwift, ldw: d, &ySwift)
        }
      }
      var cursor = 0
      t.stepLoop(
        rule: rule, steps: steps, components: k, dimension: d, eta: eta, pool: xs,
        poolSize: pool, cursor: &cursor, &wC, &yC)
      #expect(cursor == steps % pool)
      #expect(wC.map(\.bitPattern) == wSwift.map(\.bitPattern), "\(isa.name)")
      #expect(yC.map(\.bitPattern) == ySwift.map(\.bitPattern), "\(isa.name)")
    }
  }

  /// The chain column's instrument runs the AVX2 GHA step's arithmetic: with W held in
  /// registers it leaves W bit for bit where the kernel leaves it, so it times that step and
  /// nothing lighter. It has a body for d <= 8, k <= 4 only, and runs nothing elsewhere.
  @Test(arguments: [(6, 3), (8, 4), (1, 1), (5, 2)])
  func theChainInstrumentRunsTheAVX2Step(d: Int, k: Int) throws {
    guard let t = RuleStepKernels(isa: .avx2) else { return }  // no AVX2: nothing to compare
    let (pool, steps, eta): (Int, Int, Float) = (5, 13, 0.01)
    var rng = SeededGenerator(seed: 4)
    let xs = (0..<(pool * d)).map { _ in Float(rng.gaussian()) * 0.3 }
    let w0 = (0..<(k * d)).map { _ in Float(rng.gaussian()) * 0.3 }
    var wKernel = w0, y = [Float](repeating: 0, count: k)
    let rates = [Float](repeating: eta, count: k)
    for s in 0..<steps {
      let x = Array(xs[(s % pool * d)..<(s % pool * d + d)])
      t.ghaStep(components: k, dimension: d, eta: rates, x, &wKernel, ldw: d, &y)
    }
    var wChain = w0, cursor = 0
    let done = xs.withUnsafeBufferPointer { p in
      ghaChainLoop(
        steps: steps, components: k, dimension: d, eta: eta, pool: p.baseAddress!,
        poolSize: pool, cursor: &cursor, &wChain)
    }
    #expect(done == steps)
    #expect(cursor == steps % pool)
    #expect(wChain.map(\.bitPattern) == wKernel.map(\.bitPattern))
    var w9 = [Float](repeating: 0, count: 9 * k)
    #expect(
      xs.withUnsafeBufferPointer { p in
        ghaChainLoop(
          steps: 1, components: k, dimension: 9, eta: eta, pool: p.baseAddress!, poolSize: 1,
          cursor: &cursor, &w9)
      } == 0)
  }
}
