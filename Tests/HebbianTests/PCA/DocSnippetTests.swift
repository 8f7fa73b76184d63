import Testing

import Hebbian

/// The snippet of the StreamingPCA DocC article, verbatim, so the documentation cannot rot.
@Suite struct DocSnippetTests {
  @Test func streamingPCAArticleSnippetRuns() throws {
    var pca = try OnlinePCA(dimension: 6, components: 3, rule: .gha, centering: true)
    var rng = SeededGenerator(seed: 1)
    var x = [Float](repeating: 0, count: 6)
    for _ in 0..<20_000 {
      let a = 2 * rng.gaussian(), b = rng.gaussian()
      for j in 0..<6 { x[j] = Float(a * Double(j % 2) + b * Double(j / 3) + 0.05 * rng.gaussian()) }
      try pca.update(x.span)
    }
    let w = pca.components(orthonormalized: true)   // 3×6 row-major, largest variance first
    var y = [Float](repeating: 0, count: 3)
    var ys = y.mutableSpan
    try pca.project(x.span, into: &ys)               // y = W (x − mean)
    // The stream has two signal directions, (0,1,0,1,0,1) with variance 4 and (0,0,0,1,1,1)
    // with variance 1: the first two rows must span them (noise 0.05² → error ~1e-4).
    let truth: [Float] = [0, 1, 0, 1, 0, 1, 0, 0, 0, 1, 1, 1]
    #expect(try Subspace.error(Array(w[0..<12]), components: 2, reference: truth, components: 2, dimension: 6) < 1e-2)
    #expect(pca.samplesSeen == 20_000)
    #expect(pca.explainedVariance > 0.99)
  }
}
