import Hebbian
import Testing

/// `update(block:)`, the checked block API the CLI learns through: every sample is checked
/// before anything is learned, and a block learns exactly what its samples learn one by one.
@Suite struct BlockUpdateTests {
  static func samples(_ n: Int, _ d: Int) -> [Float] {
    var rng = SeededGenerator(seed: 41)
    return (0..<(n * d)).map { i in Float(rng.gaussian()) * Float(1 + i % d) }
  }

  @Test(arguments: OnlinePCA.Rule.allCases)
  func blockEqualsSampleBySample(_ rule: OnlinePCA.Rule) throws {
    let d = 6
    let k = rule == .oja ? 1 : 3
    let x = Self.samples(300, d)
    var one = try OnlinePCA(dimension: d, components: k, rule: rule, centering: true)
    var block = try OnlinePCA(dimension: d, components: k, rule: rule, centering: true)
    for s in 0..<300 { try one.update(x.span.extracting((s * d)..<((s + 1) * d))) }
    try block.update(block: x.span.extracting(0..<(100 * d)))
    try block.update(block: x.span.extracting((100 * d)..<(300 * d)))
    // Tolerance 0: the C driver is the Swift per-sample path, bit for bit.
    #expect(block.state == one.state, "\(rule.name)")
  }

  @Test func aBadSampleRefusesTheWholeBlock() throws {
    let d = 6
    var x = Self.samples(20, d)
    x[7 * d + 2] = .nan
    var pca = try OnlinePCA(dimension: d, components: 3, rule: .gha, centering: true)
    let before = pca.state
    #expect(throws: HebbianError.nonFinite(index: 7 * d + 2)) {
      try pca.update(block: x.span)
    }
    #expect(pca.state == before)
    x[7 * d + 2] = 1e20
    #expect(throws: HebbianError.self) { try pca.update(block: x.span) }
    #expect(pca.state == before)
    #expect(throws: HebbianError.self) { try pca.update(block: x.span, batch: 0) }
    #expect(throws: HebbianError.self) { try pca.update(block: x.span.extracting(0..<5)) }
  }
}
