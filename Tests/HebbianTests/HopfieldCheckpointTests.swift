import Testing

@testable import Hebbian

@Suite struct HopfieldCheckpointTests {
  func pattern(_ rng: inout SeededGenerator, _ n: Int) -> [Float] {
    (0..<n).map { _ in rng.next() & 1 == 0 ? -1 : 1 }
  }

  /// Store 12 patterns, checkpoint, restore; store 6 more in both and recall noisy cues
  /// asynchronously: weights, recall states and step counts are bit-identical (same
  /// arithmetic, same generator sequence, so no tolerance), for both storage rules.
  @Test(arguments: [HopfieldMemory.StorageRule.hebbian, .storkey])
  func restoredMemoryStoresAndRecallsIdentically(_ rule: HopfieldMemory.StorageRule) throws {
    let n = 96
    var rng = SeededGenerator(seed: 31)
    var a = try HopfieldMemory(
      dimension: n, capacity: 24, rule: rule, update: .asynchronous, maxSteps: 40, seed: 8)
    var stored: [[Float]] = []
    for _ in 0..<12 {
      let p = pattern(&rng, n)
      stored.append(p)
      try a.store(p.span)
    }
    var cue = stored[3]
    for i in stride(from: 0, to: n, by: 7) { cue[i] = -cue[i] }
    var out = [Float](repeating: 0, count: n)
    do {
      var span = out.mutableSpan
      _ = try a.recall(cue.span, into: &span)  // advances the generator before the checkpoint
    }
    var b = try HopfieldMemory(restoring: try ModelFile(decoding: a.checkpoint().encoded()))
    #expect(b.count == 12 && b.rule == rule && b.maxSteps == 40 && b.update == .asynchronous)
    #expect(b.rng.state == a.rng.state)
    for _ in 0..<6 {
      let p = pattern(&rng, n)
      try a.store(p.span)
      try b.store(p.span)
    }
    for i in 0..<n {
      for j in 0..<n { #expect(a.weight(i, j).bitPattern == b.weight(i, j).bitPattern) }
    }
    var outA = [Float](repeating: 0, count: n)
    var outB = outA
    for k in 0..<3 {
      let ra = try recall(&a, cue, into: &outA)
      let rb = try recall(&b, cue, into: &outB)
      #expect(ra.steps == rb.steps && ra.converged == rb.converged, "recall \(k)")
      #expect(outA == outB, "recall \(k)")
      cue[k] = -cue[k]
    }
  }

  func recall(_ m: inout HopfieldMemory, _ cue: [Float], into out: inout [Float]) throws
    -> RecallResult
  {
    var span = out.mutableSpan
    return try m.recall(cue.span, into: &span)
  }

  @Test func restoringNamesTheBadField() throws {
    var m = try HopfieldMemory(dimension: 8, capacity: 4)
    try m.store([1, -1, 1, -1, 1, 1, -1, -1].span)
    let good = m.checkpoint()
    func message(_ f: ModelFile) -> String {
      do {
        _ = try HopfieldMemory(restoring: f)
        return ""
      } catch { return error.message }
    }
    var f = good
    f.kind = "pca.gha"
    #expect(message(f) == "model file holds a 'pca.gha' model, expected 'memory.hopfield'")
    f = good
    f.arrays[1].values[2] = 0.5
    #expect(message(f) == "model file: array 'patterns' holds a value other than ±1")
    f = good
    f.shapes = [9, 4]
    #expect(message(f) == "model file: array 'NW' has 64 values, expected 81")
    f = good
    f.counters[0].value = 5
    #expect(message(f) == "model file: counter 'count' (5) exceeds the capacity 4")
    f = good
    for i in 2..<6 { f.counters[i].value = 0 }
    #expect(message(f) == "model file: the generator state is all zeros")
  }
}
