import Testing

@testable import Hebbian

@Suite struct OnlinePCACheckpointTests {
  /// A learner with every constant away from its default, so a field the checkpoint forgot
  /// would show up as a different continuation; Oja and GHA on the power schedule (model
  /// files' schedule 2), the others on the inverse one.
  func configured(_ rule: OnlinePCA.Rule, batch: Int = 4) throws -> OnlinePCA {
    let rate: LearningRate =
      rule == .oja || rule == .gha
      ? .power(scale: 0.6, offset: 20, floor: 1e-3) : .inverse(scale: 6, offset: 50, floor: 1e-3)
    return try OnlinePCA(
      dimension: 8, components: rule == .oja ? 1 : 3, rule: rule,
      learningRate: rate, centering: true, seed: 77,
      maxBatch: batch, amnesia: 3, lateralTimeScale: 0.7)
  }

  func bits(_ v: [Float]) -> [UInt32] { v.map(\.bitPattern) }

  /// Checkpoint → bytes → restored learner: the next 300 samples (single and batched) give
  /// bit-identical state and components, for every rule (same arithmetic in the same order,
  /// so no tolerance).
  @Test(arguments: OnlinePCA.Rule.allCases)
  func restoredCheckpointContinuesBitIdentically(_ rule: OnlinePCA.Rule) throws {
    var a = try configured(rule)
    var stream = SpikedStream(dimension: 8, components: a.componentCount, seed: 12)
    feed(&a, &stream, samples: 400)
    let file = a.checkpoint(position: .init(pass: 2, sampleOffset: 400))
    let decoded = try ModelFile(decoding: file.encoded())
    #expect(decoded == file)
    var b = try OnlinePCA(restoring: decoded)
    #expect(b.rule == rule && b.learningRate == a.learningRate && b.centering && b.seed == 77)
    #expect(b.maxBatch == 4 && b.amnesia == 3 && b.lateralTimeScale == 0.7)
    #expect(try OnlinePCA.streamPosition(of: decoded) == .init(pass: 2, sampleOffset: 400))
    #expect(b.state == a.state)
    var s2 = stream
    feed(&a, &stream, samples: 200)
    var x = [Float](repeating: 0, count: 8)
    // The restored learner learns through the guarded update: the guard must not change a
    // healthy step by a single bit.
    for _ in 0..<200 {
      s2.next(into: &x)
      try x.withUnsafeBufferPointer { (p) throws(HebbianError) in
        try b.unsafeGuardedUpdate(p.baseAddress!)
      }
    }
    var batchA = [Float](repeating: 0, count: 32)
    var batchB = batchA
    for _ in 0..<25 {
      for s in 0..<4 {
        stream.next(into: &x)
        for j in 0..<8 { batchA[s * 8 + j] = x[j] }
        s2.next(into: &x)
        for j in 0..<8 { batchB[s * 8 + j] = x[j] }
      }
      try a.update(batch: batchA.span)
      try batchB.withUnsafeBufferPointer { (p) throws(HebbianError) in
        try b.unsafeGuardedUpdate(batch: p.baseAddress!, count: 4)
      }
    }
    #expect(a.samplesSeen == 700)
    #expect(a.state == b.state)
    #expect(bits(a.components()) == bits(b.components()))
  }

  func message(_ body: () throws -> Void) -> String {
    do {
      try body()
      return ""
    } catch { return (error as? HebbianError)?.message ?? "not a HebbianError: \(error)" }
  }

  @Test func restoringNamesTheBadField() throws {
    let pca = try configured(.gha)
    let good = pca.checkpoint()
    var f = good
    f.kind = "hopfield"
    #expect(
      message { _ = try OnlinePCA(restoring: f) }.contains(
        "'hopfield' model, not an online PCA model"))
    f = good
    f.kind = "pca.bogus"
    #expect(message { _ = try OnlinePCA(restoring: f) }.contains("'pca.bogus'"))
    f = good
    f.shapes = [8]
    #expect(message { _ = try OnlinePCA(restoring: f) }.contains("1 shape entries, expected 2"))
    f = good
    f.shapes = [8, 4]
    #expect(
      message { _ = try OnlinePCA(restoring: f) }.contains("array 'W' has 24 values, expected 32"))
    f = good
    f.counters.removeAll { $0.name == "samples" }
    #expect(message { _ = try OnlinePCA(restoring: f) } == "model file: missing counter 'samples'")
    f = good
    f.parameters[0].value = 7
    #expect(message { _ = try OnlinePCA(restoring: f) }.contains("parameter 'schedule'"))
    f = good
    f.arrays[0].values[5] = .nan
    #expect(
      message { _ = try OnlinePCA(restoring: f) }
        == "model file: non-finite value (NaN or infinity) at index 5")
    f = good
    f.counters[2].value = 1 << 40  // maxBatch: would be a 2^43-float scratch
    #expect(message { _ = try OnlinePCA(restoring: f) }.contains("counter 'maxBatch'"))
    // The command line's shapes against the file's: the axis is named.
    #expect(
      message {
        try good.expect(
          kind: OnlinePCA.modelKind(.gha), shapes: [8, 2], shapeNames: OnlinePCA.shapeNames)
      } == "model file components is 3, the command line says 2")
    #expect(
      message {
        try good.expect(
          kind: OnlinePCA.modelKind(.subspace), shapes: [8, 3], shapeNames: OnlinePCA.shapeNames)
      } == "model file holds a 'pca.gha' model, expected 'pca.subspace'")
  }

  /// A sample whose squared norm overflows float32 (‖x‖² ≈ 8·10⁴⁰) would poison the running
  /// powers with infinity and then NaN: the guarded update refuses it and leaves every bit of
  /// the state as it was, for every rule.
  @Test(arguments: OnlinePCA.Rule.allCases)
  func guardRefusesADivergingUpdate(_ rule: OnlinePCA.Rule) throws {
    var pca = try configured(rule)
    var stream = SpikedStream(dimension: 8, components: pca.componentCount, seed: 3)
    feed(&pca, &stream, samples: 100)
    let before = pca.state
    let huge = [Float](repeating: 1e20, count: 32)
    let single = message {
      try huge.withUnsafeBufferPointer { (p) throws(HebbianError) in
        try pca.unsafeGuardedUpdate(p.baseAddress!)
      }
    }
    #expect(single.hasPrefix("learning diverged at sample 101"), "\(single)")
    #expect(pca.state == before)
    #expect(throws: HebbianError.self) {
      try huge.withUnsafeBufferPointer { (p) throws(HebbianError) in
        try pca.unsafeGuardedUpdate(batch: p.baseAddress!, count: 4)
      }
    }
    #expect(pca.state == before)
    try pca.checkHealth()
  }

  /// The block guard (one copy and one check per block) ends where guarding every step ends:
  /// a healthy block is bit-identical to plain updates, and a block with a diverging sample in
  /// the middle is refused at that sample with the state of every sample before it learned.
  @Test(arguments: OnlinePCA.Rule.allCases, [1, 4])
  func blockGuardMatchesTheStepGuard(_ rule: OnlinePCA.Rule, batch: Int) throws {
    let d = 8
    var stream = SpikedStream(dimension: d, components: 3, seed: 5)
    var block = [Float](repeating: 0, count: 40 * d)
    var x = [Float](repeating: 0, count: d)
    for s in 0..<40 {
      stream.next(into: &x)
      for j in 0..<d { block[s * d + j] = x[j] }
    }
    var plain = try configured(rule)
    var guarded = try configured(rule)
    block.withUnsafeBufferPointer { b in
      var s = 0
      while s < 40 {
        let c = Swift.min(batch, 40 - s)
        if c == 1 { plain.unsafeUpdate(b.baseAddress! + s * d) } else {
          plain.unsafeUpdate(batch: b.baseAddress! + s * d, count: c)
        }
        s += c
      }
    }
    try block.withUnsafeBufferPointer { (b) throws(HebbianError) in
      try guarded.unsafeGuardedUpdate(block: b.baseAddress!, count: 40, batch: batch)
    }
    #expect(guarded.state == plain.state)

    // Sample 23 of the next block overflows; the step guard refuses the step that holds it.
    for j in 0..<d { block[23 * d + j] = 1e20 }
    var stepwise = try configured(rule)
    try stepwise.restore(guarded.state)
    let stepMessage = message {
      try block.withUnsafeBufferPointer { (b) throws(HebbianError) in
        var s = 0
        while s < 40 {
          let c = Swift.min(batch, 40 - s)
          if c == 1 { try stepwise.unsafeGuardedUpdate(b.baseAddress! + s * d) } else {
            try stepwise.unsafeGuardedUpdate(batch: b.baseAddress! + s * d, count: c)
          }
          s += c
        }
      }
    }
    let blockMessage = message {
      try block.withUnsafeBufferPointer { (b) throws(HebbianError) in
        try guarded.unsafeGuardedUpdate(block: b.baseAddress!, count: 40, batch: batch)
      }
    }
    #expect(stepMessage.hasPrefix("learning diverged at sample"), "\(stepMessage)")
    #expect(blockMessage == stepMessage)
    #expect(guarded.state == stepwise.state)
    #expect(guarded.samplesSeen == 40 + (batch == 1 ? 23 : 20))
    try guarded.checkHealth()
  }

  /// A weight row blown past 10⁴ (as a step with η y² ≫ 1 would leave it) is caught by the
  /// norm bound even though every value is finite.
  @Test func guardCatchesAnExplodedRow() throws {
    var pca = try OnlinePCA(dimension: 4, components: 2, rule: .gha)
    var s = pca.state
    try pca.checkHealth()
    for j in 0..<4 { s.weights[4 + j] *= 2e4 }
    try pca.restore(s)
    #expect(
      message { try pca.checkHealth() }
        == "learning diverged at sample 0: weight row 2 is over 1e4 times its natural norm")
  }
}

@Suite struct CheckpointArticleTests {
  /// The snippet of the CheckpointsAndRecovery article, as printed there.
  @Test func checkpointArticleSnippetRuns() throws {
    var pca = try OnlinePCA(dimension: 4, components: 2, rule: .gha, centering: true)
    var rng = SeededGenerator(seed: 1)
    var x = [Float](repeating: 0, count: 4)
    for _ in 0..<500 {
      let a = Float(rng.gaussian())
      for j in 0..<4 { x[j] = a * Float(j + 1) + 0.1 * Float(rng.gaussian()) }
      try pca.update(x.span)
    }
    let bytes = pca.checkpoint(position: .init(pass: 0, sampleOffset: 500)).encoded()
    var restored = try OnlinePCA(restoring: try ModelFile(decoding: bytes))
    try pca.update(x.span)
    try restored.update(x.span)
    // Bit-identical: no tolerance.
    #expect(pca.state == restored.state)
    #expect(restored.samplesSeen == 501)
  }
}
