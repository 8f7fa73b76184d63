import Testing

@testable import Hebbian

@Suite struct NormativeMemoryTests {
  static let ne = 48, ni = 16, p = 6

  static func patterns(_ seed: UInt64) -> [Float] {
    var rng = SeededGenerator(seed: seed)
    return randomBipolar(p, ne + ni, &rng)
  }

  @Test func exactGradientDrivesErrorBelowOneMillionthAndRetrieves() throws {
    // P = 6 random ±1 patterns in N = 64: the Gram matrix has condition ≈ ((1+√(P/N))/
    // (1−√(P/N)))² ≈ 3.5, so gradient descent at η = 1/λ_max contracts E by ≥ 0.5 per step:
    // 2000 steps reach 1e-6 with a wide margin.
    let n = Self.ne + Self.ni
    let x = Self.patterns(5)
    var memory = try NormativeMemory(
      excitatory: Self.ne, inhibitory: Self.ni, capacity: Self.p, activation: .saturating(gain: 2))
    for mu in 0..<Self.p { try memory.store(x[(mu * n)..<((mu + 1) * n)].span) }
    #expect(memory.error < 1e-6)
    // Retrieval from 15 % flipped cues: the linear part projects onto span(F), the
    // saturating gain 2 pushes to the ±1 corner, which must be the stored pattern exactly.
    var rng = SeededGenerator(seed: 9)
    var state = [Float](repeating: 0, count: n)
    for mu in 0..<Self.p {
      let target = x[(mu * n)..<((mu + 1) * n)]
      let cue = flipped(target, fraction: 0.15, &rng)
      let r = try memory.recall(cue, into: &state)
      #expect(r.converged)
      var agree = 0
      for j in 0..<n where (state[j] > 0) == (target[target.startIndex + j] > 0) { agree += 1 }
      #expect(agree == n)
      var maxError: Float = 0
      for j in 0..<n { maxError = max(maxError, abs(state[j] - target[target.startIndex + j])) }
      #expect(maxError < 1e-3)  // settled on the corner, not just the right signs
    }
    // Linear dynamics: the cue's part outside span(F) decays, so the cosine with the target
    // rises from 0.7 (15 % flipped) to ≥ 0.85 (what is left is the in-span noise, ≈ P/N of it).
    memory.activation = .linear
    let target = x[0..<n]
    let cue = flipped(target, fraction: 0.15, &rng)
    _ = try memory.recall(cue, into: &state)
    var dot: Float = 0, nn: Float = 0
    for j in 0..<n {
      dot += state[j] * target[j]
      nn += state[j] * state[j]
    }
    #expect(dot / (nn.squareRoot() * Float(n).squareRoot()) > 0.85)
  }

  @Test func learningStepIsTheExactGradient() throws {
    // Central differences of E in Double-free Float: ε = 1e-2 on entries of O(1) gives a
    // truncation error of 0 (E is quadratic in each W_ij) and rounding ≈ 1e-7·E/ε ≈ 1e-3;
    // so 2e-2 absolute bounds the difference. The printed seed rule differs from it by
    // W(D F Fᵀ D − F Fᵀ), which is O(1) here, so the test can tell them apart.
    let n = Self.ne + Self.ni
    let x = Self.patterns(6)
    var memory = try NormativeMemory(
      excitatory: Self.ne, inhibitory: Self.ni, capacity: Self.p, iterations: 3)
    for mu in 0..<Self.p { try memory.store(x[(mu * n)..<((mu + 1) * n)].span) }
    _ = memory.residuals()
    var worst: Float = 0
    var printedGap: Float = 0
    for (i, j) in [(0, 1), (5, 50), (50, 3), (63, 60), (10, 10)] {
      var exact: Float = 0  // −∂E/∂W_ij = Σ_μ e_i^μ (D f^μ)_j
      var printed: Float = 0  // (F Fᵀ D − W F Fᵀ)_ij
      for mu in 0..<Self.p {
        exact += memory.e[mu * n + i] * memory.df[mu * n + j]
        var wf: Float = 0
        for k in 0..<n { wf += memory.w[i * n + k] * x[mu * n + k] }
        printed += x[mu * n + i] * memory.df[mu * n + j] - wf * x[mu * n + j]
      }
      let old = memory.w[i * n + j]
      let eps: Float = 1e-2
      memory.w[i * n + j] = old + eps
      let up = memory.error
      memory.w[i * n + j] = old - eps
      let down = memory.error
      memory.w[i * n + j] = old
      worst = max(worst, abs(-(up - down) / (2 * eps) - exact))
      printedGap = max(printedGap, abs(printed - exact))
    }
    #expect(worst < 2e-2)
    #expect(printedGap > 0.5)
  }

  @Test func daleProjectionKeepsWeightsNonNegativeAndLowersError() throws {
    let n = Self.ne + Self.ni
    let x = Self.patterns(7)
    var memory = try NormativeMemory(
      excitatory: Self.ne, inhibitory: Self.ni, capacity: Self.p, dale: true, iterations: 0)
    for mu in 0..<Self.p { try memory.store(x[(mu * n)..<((mu + 1) * n)].span) }
    let start = memory.error  // W = 0: E = ½ Σ‖f‖² = 192
    let end = memory.learn(iterations: 300)
    var minimum: Float = 0
    for k in 0..<(n * n) { minimum = min(minimum, memory.w[k]) }
    #expect(minimum == 0)
    #expect(start == 0.5 * Float(Self.p * n))
    // Sign-constrained least squares cannot reach zero in general; it must still remove
    // most of the error.
    #expect(end < 0.5 * start, "E \(start) -> \(end)")
  }
}
