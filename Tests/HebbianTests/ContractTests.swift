import Hebbian
import Testing

/// What a program using the library may rely on: no initialiser traps or allocates beyond the
/// memory budget, and no checked call can leave a learner or memory non-finite or degenerate.
/// Each case reproduces a way a careless caller used to trap or corrupt the state.
@Suite struct ContractTests {
  func message(_ body: () throws -> Void) -> String? {
    do {
      try body()
      return nil
    } catch let error as HebbianError {
      return error.message
    } catch {
      return "\(error)"
    }
  }

  @Test func initialisersRefuseAbsurdSizesWithoutTrapping() {
    #expect(
      message { _ = try OnlinePCA(dimension: 1 << 40, components: 1, rule: .oja) }
        == "OnlinePCA: dimension must be in 1...16777216, got 1099511627776")
    #expect(
      message { _ = try OnlinePCA(dimension: 6, components: 3, rule: .gha, maxBatch: Int.max) }
        == "OnlinePCA: 3 components of dimension 6 with maxBatch \(Int.max) need more than 2^63 bytes, above the memory budget of 512 MiB"
    )
    #expect(
      message { _ = try OnlinePCA(dimension: 262_144, components: 256, rule: .gha) }
        == "OnlinePCA: 256 components of dimension 262144 with maxBatch 64 need 836 MiB, above the memory budget of 512 MiB"
    )
    #expect(
      message { _ = try HopfieldMemory(dimension: 1 << 20, capacity: 10) }
        == "HopfieldMemory: dimension 1048576 with capacity 10 needs 4096 GiB, above the memory budget of 512 MiB"
    )
    #expect(message { _ = try HopfieldMemory(dimension: 1 << 62, capacity: 4) } != nil)
    #expect(
      message {
        _ = try DenseMemory(
          dimension: 10, capacity: 2, interaction: .polynomial(degree: 100_000_000))
      } == "DenseMemory: degree must be in 1...64, got 100000000")
    #expect(
      message { _ = try ModernHopfield(dimension: 4, capacity: 2, beta: .infinity) }
        == "ModernHopfield: beta must be finite and > 0, got inf")
    #expect(message { _ = try EIMemory(excitatory: 10, inhibitory: Int.max, capacity: 2) } != nil)
    #expect(
      message { _ = try NormativeMemory(excitatory: Int.max, inhibitory: 2, capacity: 2) } != nil)
    #expect(message { _ = try TwoLayerMemory(dimension: 1 << 30, capacity: 1 << 10) } != nil)
  }

  /// Samples whose squared norm is outside [1e-30, 1e30] are refused with the learner
  /// unchanged, for every rule: they used to turn W into ±inf (1e-21 entries), send FSM's W to
  /// -5.5e29 and CCIPCA's to zero (1e19), or make the input power infinite.
  @Test(arguments: OnlinePCA.Rule.allCases)
  func updatesRefuseSamplesFloat32CannotLearn(rule: OnlinePCA.Rule) throws {
    let k = rule == .oja ? 1 : 2
    var pca = try OnlinePCA(dimension: 3, components: k, rule: rule, centering: rule == .gha)
    var rng = SeededGenerator(seed: 4)
    for _ in 0..<200 {
      let x: [Float] = [Float(rng.gaussian()), Float(rng.gaussian()) * 0.5, 0.1]
      try pca.update(x.span)
    }
    let before = pca.state
    for bad: [Float] in [
      [1e-21, -2e-21, 1.5e-21], [1e19, 1e19, 1e19], [0.5, .greatestFiniteMagnitude, 0.25],
    ] {
      let m = message { try pca.update(bad.span) }
      #expect(m?.hasPrefix("the sample's squared norm ") == true, "\(bad): \(m ?? "accepted")")
      #expect(
        m?.hasSuffix(
          "is outside [1e-30, 1e30]: rescale the input (float32 cannot hold its updates)") == true)
      #expect(pca.state == before)
      let batch = bad + [0.1, 0.2, 0.3]
      #expect(
        message { try pca.update(batch: batch.span) }?.hasPrefix("sample 1 of the batch: ") == true)
      #expect(pca.state == before)
    }
    #expect(
      message { try pca.update([Float.nan, 1, 2].span) }
        == "non-finite value (NaN or infinity) at index 0")
    var y = [Float](repeating: 0, count: k)
    var out = y.mutableSpan
    #expect(
      message { try pca.project([Float.nan, 1, 2].span, into: &out) }
        == "non-finite value (NaN or infinity) at index 0")
    // The zero sample is fine (it carries nothing), and so is the scale of raw sensor units.
    try pca.update([0, 0, 0].span)
    try pca.update([2e4, -1e4, 3e3].span)
    #expect(pca.state.weights.allSatisfy { $0.isFinite })
    _ = y
  }

  @Test func memoriesRefuseNonFiniteInput() throws {
    var memory = try HopfieldMemory(dimension: 4, capacity: 2)
    let nan = [Float](repeating: .nan, count: 4)
    #expect(
      message { try memory.store(nan.span) } == "non-finite value (NaN or infinity) at index 0")
    #expect(memory.count == 0)
    try memory.store([1, -1, 1, -1].span)
    #expect(
      message { try memory.setThresholds([.nan, 0, 0, 0].span) }
        == "non-finite value (NaN or infinity) at index 0")
    #expect(message { try memory.setThresholds([0, 1e38, 0, 0].span) } != nil)
    let state: [Float] = [1, -1, 1, -1]
    #expect(try memory.energy(state.span).isFinite)
  }

  /// A model file with a valid CRC is still checked in substance.
  @Test func forgedModelFilesAreRefused() throws {
    var pca = try OnlinePCA(dimension: 4, components: 2, rule: .gha)
    for i in 0..<50 { try pca.update([Float(i % 3), 1, -Float(i % 2), 0.5].span) }
    let good = pca.checkpoint()
    func refused(_ edit: (inout ModelFile) -> Void) -> String? {
      var f = good
      edit(&f)
      // Through bytes, so the CRC is a valid one.
      guard let decoded = try? ModelFile(decoding: f.encoded()) else { return "decode failed" }
      return message { _ = try OnlinePCA(restoring: decoded) }
    }
    #expect(
      refused { f in
        for i in f.arrays.indices where f.arrays[i].name == "W" {
          f.arrays[i].values = [Float](repeating: 0, count: 8)
        }
      } == "model file: array 'W' is rank-deficient: row 1 is zero")
    #expect(
      refused { f in
        for i in f.arrays.indices where f.arrays[i].name == "W" {
          f.arrays[i].values = [1, 0, 0, 0, 2, 0, 0, 0]
        }
      } == "model file: array 'W' is rank-deficient: row 2 lies in the span of the rows before it")
    #expect(
      refused { f in
        for i in f.arrays.indices where f.arrays[i].name == "outputPower" {
          f.arrays[i].values = [-1, 0.5]
        }
      } == "model file: array 'outputPower' entry 1 is negative (-1.0)")
    #expect(
      refused { f in
        for i in f.counters.indices where f.counters[i].name == "samples" {
          f.counters[i].value = UInt64(Int64.max)
        }
      } == "model file: counter 'samples' (9223372036854775807) is out of range (at most 2^62)")
    #expect(
      refused { f in f.arrays.append(.init("junk", [1, 2, 3])) }
        == "model file: unknown array 'junk' in a PCA model (it holds W, M, outputPower, mean)")
    #expect(
      refused { f in f.arrays.append(.init("W", [1, 2, 3])) }
        == "decode failed")
    var twice = good
    twice.arrays.append(.init("mean", [0, 0, 0, 0]))
    #expect(
      message { _ = try ModelFile(decoding: twice.encoded()) }
        == "model file: array 'mean' appears twice")
    // The untouched file restores.
    #expect(refused { _ in } == nil)
  }
}
