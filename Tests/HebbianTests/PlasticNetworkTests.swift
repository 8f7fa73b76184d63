import Testing

@testable import Hebbian
@testable import HebbianExperiments

/// A Double-precision reference of the plastic network and its BPTT, written with plain loops
/// independently of the fused C kernels, so a finite-difference check can validate the
/// equations and the Float production path can be compared against it.
struct PlasticReference {
  var n: Int
  var oja: Bool
  var w: [Double]
  var alpha: [Double]
  var eta: Double

  func loss(_ u: [Double], _ steps: Int, _ target: [Double]) -> Double {
    var x = [Double](repeating: 0, count: n)
    var h = [Double](repeating: 0, count: n * n)
    for t in 0..<steps {
      var y = [Double](repeating: 0, count: n)
      for j in 0..<n {
        var a = u[t * n + j]
        for i in 0..<n { a += (w[i * n + j] + alpha[i * n + j] * h[i * n + j]) * x[i] }
        y[j] = Math.tanh(a)
      }
      for i in 0..<n {
        for j in 0..<n {
          let k = i * n + j
          h[k] =
            oja ? h[k] + eta * y[j] * (x[i] - h[k] * y[j]) : (1 - eta) * h[k] + eta * x[i] * y[j]
        }
      }
      x = y
    }
    var l = 0.0
    for j in 0..<n { l += (x[j] - target[j]) * (x[j] - target[j]) }
    return l / Double(n)
  }

  /// Analytic gradient (w, α, η) by BPTT over stored states and traces.
  func gradient(_ u: [Double], _ steps: Int, _ target: [Double]) -> ([Double], [Double], Double) {
    var xs = [[Double](repeating: 0, count: n)]
    var hs = [[Double](repeating: 0, count: n * n)]
    for t in 0..<steps {
      let x = xs[t], h = hs[t]
      var y = [Double](repeating: 0, count: n)
      for j in 0..<n {
        var a = u[t * n + j]
        for i in 0..<n { a += (w[i * n + j] + alpha[i * n + j] * h[i * n + j]) * x[i] }
        y[j] = Math.tanh(a)
      }
      var hn = h
      for i in 0..<n {
        for j in 0..<n {
          let k = i * n + j
          hn[k] =
            oja ? h[k] + eta * y[j] * (x[i] - h[k] * y[j]) : (1 - eta) * h[k] + eta * x[i] * y[j]
        }
      }
      xs.append(y)
      hs.append(hn)
    }
    var gw = [Double](repeating: 0, count: n * n)
    var ga = gw
    var gh = gw  // dL/dH(t+1)
    var ge = 0.0
    var gy = [Double](repeating: 0, count: n)
    for j in 0..<n { gy[j] = 2 * (xs[steps][j] - target[j]) / Double(n) }
    for t in stride(from: steps - 1, through: 0, by: -1) {
      let x = xs[t], y = xs[t + 1], h = hs[t]
      // Through the trace: H(t+1) depends on x(t−1)=x, x(t)=y, H(t), η.
      var gx = [Double](repeating: 0, count: n)
      var ghPrev = [Double](repeating: 0, count: n * n)
      for i in 0..<n {
        for j in 0..<n {
          let k = i * n + j
          if oja {
            gy[j] += gh[k] * (eta * x[i] - 2 * eta * h[k] * y[j])
            gx[i] += gh[k] * eta * y[j]
            ge += gh[k] * (x[i] * y[j] - h[k] * y[j] * y[j])
            ghPrev[k] = gh[k] * (1 - eta * y[j] * y[j])
          } else {
            gy[j] += gh[k] * eta * x[i]
            gx[i] += gh[k] * eta * y[j]
            ge += gh[k] * (x[i] * y[j] - h[k])
            ghPrev[k] = gh[k] * (1 - eta)
          }
        }
      }
      for j in 0..<n {
        let da = gy[j] * (1 - y[j] * y[j])
        for i in 0..<n {
          let k = i * n + j
          gw[k] += x[i] * da
          ga[k] += h[k] * x[i] * da
          ghPrev[k] += alpha[k] * x[i] * da
          gx[i] += (w[k] + alpha[k] * h[k]) * da
        }
      }
      gh = ghPrev
      gy = gx
    }
    return (gw, ga, ge)
  }
}

@Suite struct PlasticNetworkTests {
  static func randomProblem(n: Int, steps: Int, seed: UInt64) -> (
    [Double], [Double], [Double], [Double]
  ) {
    var rng = SeededGenerator(seed: seed)
    let w = (0..<(n * n)).map { _ in 0.5 * rng.gaussian() }
    let a = (0..<(n * n)).map { _ in 0.5 * rng.gaussian() }
    let u = (0..<(steps * n)).map { _ in rng.gaussian() }
    let target = (0..<n).map { _ in Double(rng.sign()) }
    return (w, a, u, target)
  }

  @Test(arguments: [false, true])
  func bpttMatchesFiniteDifferencesInDouble(oja: Bool) {
    let n = 4
    let steps = 6
    let (w, a, u, target) = Self.randomProblem(n: n, steps: steps, seed: 11)
    let ref = PlasticReference(n: n, oja: oja, w: w, alpha: a, eta: 0.3)
    let (gw, ga, ge) = ref.gradient(u, steps, target)
    // Central differences have O(h²) truncation and O(ε/h) rounding error: h = 1e-5 keeps both
    // near 1e-10 against gradients of order 1e-2…1, far inside the 1e-3 bound.
    let hStep = 1e-5
    var worst = 0.0
    func rel(_ analytic: Double, _ numeric: Double) -> Double {
      abs(analytic - numeric) / max(abs(analytic) + abs(numeric), 1e-6)
    }
    for k in 0..<(n * n) {
      var p = ref, m = ref
      p.w[k] += hStep
      m.w[k] -= hStep
      worst = max(
        worst, rel(gw[k], (p.loss(u, steps, target) - m.loss(u, steps, target)) / (2 * hStep)))
      p = ref
      m = ref
      p.alpha[k] += hStep
      m.alpha[k] -= hStep
      worst = max(
        worst, rel(ga[k], (p.loss(u, steps, target) - m.loss(u, steps, target)) / (2 * hStep)))
    }
    var p = ref, m = ref
    p.eta += hStep
    m.eta -= hStep
    worst = max(worst, rel(ge, (p.loss(u, steps, target) - m.loss(u, steps, target)) / (2 * hStep)))
    #expect(worst < 1e-3)
    #expect(abs(ge) > 1e-4)  // the η path is exercised, not trivially zero
  }

  @Test(arguments: [PlasticNetwork.TraceRule.decay, .oja])
  func floatKernelGradientsMatchDoubleReference(rule: PlasticNetwork.TraceRule) throws {
    let n = 5
    let steps = 7
    let (w, a, u, target) = Self.randomProblem(n: n, steps: steps, seed: 23)
    let eta = 0.25
    let ref = PlasticReference(n: n, oja: rule == .oja, w: w, alpha: a, eta: eta)
    let (gw, ga, ge) = ref.gradient(u, steps, target)
    var net = try PlasticNetwork(size: n, maxSteps: 10, rule: rule, seed: 1)
    try net.setParameters(w: w.map { Float($0) }, alpha: a.map { Float($0) }, eta: Float(eta))
    let uf = u.map { Float($0) }
    let tf = target.map { Float($0) }
    let loss = try net.lossAndGradient(inputs: uf.span, steps: steps, target: tf.span)
    // Float keeps ~6e-8 relative per operation; over 7 steps of N=5 sums the accumulated
    // error stays near 1e-5 of the largest gradient, so 1e-3 of the scale is a loose bound
    // that still catches any wrong term (those are of the order of the gradient itself).
    #expect(abs(Double(loss) - ref.loss(u, steps, target)) < 1e-5)
    let scale = max(gw.map(abs).max()!, ga.map(abs).max()!, abs(ge))
    var worst = abs(Double(net.gradientEta) - ge)
    let fw = net.gradientW, fa = net.gradientAlpha
    for k in 0..<(n * n) {
      worst = max(worst, abs(Double(fw[k]) - gw[k]), abs(Double(fa[k]) - ga[k]))
    }
    #expect(worst / scale < 1e-3)
  }

  @Test func baselineKeepsAlphaAtZeroAndEtaFixed() throws {
    var net = try PlasticNetwork(size: 6, maxSteps: 8, plastic: false, seed: 3)
    let task = try PatternCompletionTask(
      bits: 6, patterns: 1, cycles: 1, presentationSteps: 2, delaySteps: 1, testSteps: 2)
    var u = [Float](repeating: 0, count: task.steps * 6)
    var target = [Float](repeating: 0, count: 6)
    var scratch = [Float](repeating: 0, count: 6)
    var rng = SeededGenerator(seed: 5)
    var us = u.mutableSpan, ts = target.mutableSpan, ss = scratch.mutableSpan
    try task.episode(inputs: &us, target: &ts, scratch: &ss, rng: &rng)
    _ = consume us; _ = consume ts; _ = consume ss
    for _ in 0..<5 {
      try net.train(inputs: u.span, steps: task.steps, target: target.span, learningRate: 0.01)
    }
    // Exact: the baseline never touches α or η.
    #expect(net.plasticityCoefficients.allSatisfy { $0 == 0 })
    #expect(net.eta == 0.01)
  }

  @Test func rejectsEpisodesLongerThanItsBuffers() throws {
    var net = try PlasticNetwork(size: 4, maxSteps: 3, seed: 1)
    let u = [Float](repeating: 0, count: 16)
    let t = [Float](repeating: 0, count: 4)
    #expect(throws: HebbianError.self) {
      try net.lossAndGradient(inputs: u.span, steps: 4, target: t.span)
    }
  }
}

@Suite struct PatternCompletionTests {
  /// Trains `net` on fresh seeded episodes, then returns its mean held-out loss per bit.
  static func trainAndEvaluate(
    _ net: inout PlasticNetwork, _ task: PatternCompletionTask, episodes: Int, lr: Float
  ) throws -> Float {
    var u = [Float](repeating: 0, count: task.steps * task.bits)
    var target = [Float](repeating: 0, count: task.bits)
    var scratch = [Float](repeating: 0, count: task.patterns * task.bits)
    func next(_ rng: inout SeededGenerator) throws {
      var us = u.mutableSpan, ts = target.mutableSpan, ss = scratch.mutableSpan
      try task.episode(inputs: &us, target: &ts, scratch: &ss, rng: &rng)
    }
    var rng = SeededGenerator(seed: 101)
    for _ in 0..<episodes {
      try next(&rng)
      try net.train(inputs: u.span, steps: task.steps, target: target.span, learningRate: lr)
    }
    var held = SeededGenerator(seed: 202)
    var total: Float = 0
    for _ in 0..<100 {
      try next(&held)
      total += try net.loss(inputs: u.span, steps: task.steps, target: target.span)
    }
    return total / 100
  }

  @Test func episodeHasTheDocumentedLayout() throws {
    let task = try PatternCompletionTask(
      bits: 10, patterns: 2, cycles: 2, presentationSteps: 2, delaySteps: 1, testSteps: 2)
    #expect(task.steps == 2 * 2 * 3 + 2)
    var u = [Float](repeating: 7, count: task.steps * 10)
    var target = [Float](repeating: 0, count: 10)
    var scratch = [Float](repeating: 0, count: 20)
    var rng = SeededGenerator(seed: 9)
    var us = u.mutableSpan, ts = target.mutableSpan, ss = scratch.mutableSpan
    try task.episode(inputs: &us, target: &ts, scratch: &ss, rng: &rng)
    _ = consume us; _ = consume ts; _ = consume ss
    // Delay rows (2, 5, 8, 11) are silent; shown bits are ±20; the cue zeroes exactly half.
    for row in [2, 5, 8, 11] { #expect(u[(row * 10)..<(row * 10 + 10)].allSatisfy { $0 == 0 }) }
    #expect(u[0..<10].allSatisfy { abs($0) == 20 })
    let cue = Array(u[(12 * 10)..<(13 * 10)])
    #expect(cue.filter { $0 == 0 }.count == 5)
    for j in 0..<10 where cue[j] != 0 { #expect((cue[j] > 0) == (target[j] > 0)) }
    #expect(target.allSatisfy { $0 == 1 || $0 == -1 })
  }

  /// The paper's claim at reduced size: with the same initial w, the same episodes and the same
  /// Adam schedule, the plastic network completes the degraded cue; the non-plastic one cannot
  /// know the zeroed bits of a pattern drawn for this episode and stays near the 0.5 per bit of
  /// answering 0 on them.
  @Test(arguments: [PlasticNetwork.TraceRule.decay, .oja])
  func plasticNetworkBeatsNonPlasticBaselineOnPatternCompletion(rule: PlasticNetwork.TraceRule)
    throws
  {
    let task = try PatternCompletionTask(bits: 24, patterns: 2)
    var plastic = try PlasticNetwork(
      size: 24, maxSteps: task.steps, rule: rule, plastic: true, seed: 1)
    var baseline = try PlasticNetwork(
      size: 24, maxSteps: task.steps, rule: rule, plastic: false, seed: 1)
    let p = try Self.trainAndEvaluate(&plastic, task, episodes: 1000, lr: 0.003)
    let b = try Self.trainAndEvaluate(&baseline, task, episodes: 1000, lr: 0.003)
    // Measured 0.12 (decay) and 0.10 (Oja) for the plastic network vs 0.51 (baseline); the bounds leave about a factor 2 of margin
    // either way for other platforms' float rounding while still demanding a 2.5x gap.
    #expect(p < 0.25)
    #expect(b > 0.4)
    #expect(p * 2.5 < b)
  }
}
