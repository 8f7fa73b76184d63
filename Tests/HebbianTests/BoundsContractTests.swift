import Testing

@testable import Hebbian
@testable import HebbianExperiments

/// The checked API of every type: arguments out of range, non-finite inputs and steps that
/// would overflow end in a typed error, never a trap, and a refused call leaves the state as
/// it was (finite).
@Suite struct BoundsContractTests {
  static func allFinite(_ v: [Float]) -> Bool { v.allSatisfy { $0.isFinite } }

  @Test func competingUnitsRefuseNonFiniteSamplesAndHugeRates() throws {
    var units = try CompetingUnits(inputs: 4, hidden: 3, batchSize: 2, seed: 1)
    let before = units.weights
    var sample: [Float] = [1, 0.5, .nan, 0]
    #expect(throws: HebbianError.nonFinite(index: 2)) {
      try units.update(batch: sample.span, count: 1, learningRate: 0.01)
    }
    sample[2] = 0.25
    #expect(throws: HebbianError.self) {
      try units.update(batch: sample.span, count: 1, learningRate: .infinity)
    }
    do {
      try units.update(batch: sample.span, count: 1, learningRate: 1e30)
      Issue.record("a step of rate 1e30 was taken")
    } catch {
      guard case .diverged = error else {
        Issue.record("\(error)")
        return
      }
    }
    #expect(units.weights == before)
    #expect(units.winCounts == [0, 0, 0])
    try units.update(batch: sample.span, count: 1, learningRate: 0.01)
    #expect(units.winCounts.reduce(0, +) == 1)
    #expect(Self.allFinite(units.weights))
  }

  @Test func competingFeaturesCheckPowerAndInput() throws {
    let units = try CompetingUnits(inputs: 2, hidden: 8, seed: 1)
    var h = [Float](repeating: 0, count: 8)
    var hs = h.mutableSpan
    let v: [Float] = [1, 2]
    #expect(throws: HebbianError.self) { try units.features(v.span, power: -5, into: &hs) }
    let bad: [Float] = [.nan, 1]
    #expect(throws: HebbianError.nonFinite(index: 0)) {
      try units.features(bad.span, power: 3, into: &hs)
    }
    // Some unit answers one of ±v positively; its 64th power overflows.
    var overflowed = 0
    for huge: [Float] in [[1e20, 1e20], [-1e20, -1e20], [1e20, -1e20], [-1e20, 1e20]] {
      do { try units.features(huge.span, power: 64, into: &hs) } catch { overflowed += 1 }
    }
    #expect(overflowed > 0)
    try units.features(v.span, power: 3, into: &hs)
    _ = consume hs
    #expect(Self.allFinite(h))
    #expect(throws: HebbianError.self) {
      try CompetingUnits(inputs: 1 << 20, hidden: 1 << 12, seed: 1)
    }
  }

  @Test func ranksNeverIndexOutOfRange() {
    let c: [Float] = [.nan, .nan, .nan]
    let (top, kth) = CompetingUnits.ranks(c.span, 2)
    #expect((0..<3).contains(top) && (0..<3).contains(kth))
  }

  @Test func stdpWindowAndPairingRefuseCountsBeyondTheirBound() {
    let rule = STDPRule.classic(aPlus: 0.005, aMinus: 0.00525, tauPlus: 20, tauMinus: 20)
    #expect(throws: HebbianError.self) { try STDPWindow.curve(rule: rule, range: 1e30) }
    #expect(throws: HebbianError.self) {
      try STDPWindow.curve(rule: rule, range: 10, spacing: 1e-30)
    }
    #expect(throws: HebbianError.self) { try STDPWindow.curve(rule: rule, range: .infinity) }
    #expect(throws: HebbianError.self) { try STDPWindow.pairing(rule: rule, deltaT: 1, dt: 1e-30) }
    #expect(throws: HebbianError.self) {
      try STDPWindow.pairing(rule: rule, preTimes: [0], postTimes: [1e300], dt: 1)
    }
    #expect((try? STDPWindow.pairing(rule: rule, deltaT: 5, dt: 0.1)).map { $0 > 0 } == true)
  }

  @Test func simulationsRefuseStepCountsBeyondTheirBound() {
    var b = InhibitoryBalance.Configuration()
    b.seconds = 1e30
    #expect(throws: HebbianError.self) { try InhibitoryBalance.run(b) }
    var c = CompetitiveSTDP.Configuration()
    c.seconds = 1e30
    #expect(throws: HebbianError.self) { try CompetitiveSTDP.run(c) }
    var r = DistalReward.Configuration()
    r.dt = 1e-300
    #expect(throws: HebbianError.self) { try DistalReward.run(r) }
    var s = HomeostaticScaling.Configuration()
    s.seconds = .infinity
    #expect(throws: HebbianError.self) { try HomeostaticScaling.run(s) }
    c.seconds = 1
    c.inputs = 1 << 30
    #expect(throws: HebbianError.self) { try CompetitiveSTDP.run(c) }
  }

  @Test func patternCompletionStepsAreChecked() {
    #expect(throws: HebbianError.self) {
      try PatternCompletionTask(
        bits: 50, patterns: 3, cycles: 2_000_000_000, presentationSteps: 2_000_000_000)
    }
    #expect(throws: HebbianError.self) { try PatternCompletionTask(bits: 100_000_000) }
    #expect(throws: HebbianError.self) { try PlasticNetwork(size: 1 << 16, maxSteps: 10, seed: 1) }
  }

  @Test func modernHopfieldRefusesNonFiniteCuesAndOverflow() throws {
    var m = try ModernHopfield(dimension: 3, capacity: 2, beta: 8)
    let p: [Float] = [1, -1, 1]
    try m.store(p.span)
    var state: [Float] = [0, 0, 0]
    var s = state.mutableSpan
    let inf: [Float] = [.infinity, 0, 0]
    #expect(throws: HebbianError.nonFinite(index: 0)) { try m.recall(inf.span, into: &s) }
    let huge: [Float] = [3e38, -3e38, 3e38]
    do {
      _ = try m.recall(huge.span, into: &s)
    } catch {
      guard case .diverged = error else {
        Issue.record("\(error)")
        return
      }
    }
    _ = consume s
    #expect(Self.allFinite(state))
  }

  @Test func rateLearnersRefuseADivergingStepAndKeepTheirWeights() throws {
    // Plain Hebb on a strong constant input grows e-fold every few samples.
    var hebb = try HebbianLearner(inputs: 2, learningRate: 0.5, seed: 1)
    let x: [Float] = [30, 40]
    var refused: HebbianError? = nil
    var last: [Float] = []
    for _ in 0..<10_000 {
      last = hebb.row(0)
      do { try hebb.update(x.span) } catch {
        refused = error
        break
      }
    }
    guard case .diverged(let m)? = refused else {
      Issue.record("plain Hebb never diverged: \(hebb.row(0))")
      return
    }
    #expect(m.contains("hebb") && m.contains("diverged"))
    #expect(hebb.row(0) == last && Self.allFinite(last))
    #expect(hebb.rowNorm(0).isFinite)

    var bcm = try BCMLearner(inputs: 2, learningRate: 1, thresholdTimeConstant: 1e9)
    var bcmRefused = false
    for _ in 0..<10_000 {
      do { try bcm.update(x.span) } catch {
        bcmRefused = true
        break
      }
    }
    #expect(bcmRefused && Self.allFinite(bcm.row(0)) && bcm.threshold(0).isFinite)

    var instar = try InstarLearner(inputs: 2, outputs: 1, learningRate: 1)
    let activity: [Float] = [1e30]
    #expect(throws: HebbianError.self) { try instar.update(x.span, activity: activity.span) }
    #expect(Self.allFinite(instar.row(0)))

    var cov = try CovarianceLearner(inputs: 2, learningRate: 1, normalizesRows: false)
    for i in 0..<2000 {
      let s: [Float] = [Float(i % 7) * 1e3, Float(i % 5) * -1e3]
      do { try cov.update(s.span) } catch { break }
    }
    #expect(Self.allFinite(cov.row(0)))
  }

  @Test func restoringAModelBoundsItsShapesIn64Bits() {
    for shape in [[1, 65536], [2, Int(Int32.max)], [65536, 65536]] {
      let file = ModelFile(
        kind: "pca.ccipca", shapes: shape, arrays: [.init("W", [Float](repeating: 0, count: 9))])
      do {
        _ = try OnlinePCA(restoring: file)
        Issue.record("shape \(shape) was restored")
      } catch {
        #expect(error.message.contains("above the memory budget"), "\(error.message)")
      }
    }
  }

  @Test func modelHeaderIsCheckedOnItsOwn() throws {
    #expect(throws: HebbianError.self) {
      try ModelFile.checkHeader([UInt8](repeating: 0, count: 12))
    }
    #expect(throws: HebbianError.self) {
      try ModelFile.checkHeader(ModelFile.magic + [2, 0, 0, 0])
    }
    #expect(throws: HebbianError.self) { try ModelFile.checkHeader(ModelFile.magic + [1]) }
    try ModelFile.checkHeader(ModelFile.magic + [1, 0, 0, 0])
  }

  @Test func readoutAndBarsRefuseBadArguments() throws {
    #expect(throws: HebbianError.self) { try BarsDataset(count: 1 << 30, seed: 1) }
    #expect(throws: HebbianError.self) { try BarsDataset(count: 4, noise: .infinity, seed: 1) }
    var r = try SoftmaxReadout(features: 2, classes: 2)
    let data: [Float] = [1, .nan, 0, 1]
    let labels = [0, 1]
    var order = [0, 0]
    var os = order.mutableSpan
    var rng = SeededGenerator(seed: 1)
    #expect(throws: HebbianError.nonFinite(index: 1)) {
      try r.fit(
        data: data.span, labels: labels.span, count: 2, epochs: 1, rate: 0.1, order: &os, rng: &rng)
    }
  }

  /// Counts derived from doubles in the controls' entry points are checked too: an absurd
  /// duration or load is a typed error, not a conversion trap.
  @Test func controlDurationsAndLoadsAreCheckedCounts() {
    let c = InhibitoryBalance.Configuration()
    let nI = c.groups * c.inhibitoryPerGroup
    let w = [Float](repeating: 0.1, count: nI)
    #expect(throws: HebbianError.self) { _ = try InhibitoryBalance.test(c, weights: w, seconds: 1e300) }
    #expect(throws: HebbianError.self) {
      _ = try CovarianceMemory.search(
        dimension: 100, codingLevel: 0.1, activityScaled: false, loads: [1e300])
    }
    #expect(throws: HebbianError.self) {
      _ = try CovarianceMemory.search(
        dimension: 100, codingLevel: 0.1, activityScaled: false, loads: [.nan])
    }
  }
}
