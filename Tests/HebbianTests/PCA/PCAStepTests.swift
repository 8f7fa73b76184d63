import CHebbian
import Testing

@testable import Hebbian

/// The one PCA step (`hb_pca_hebbian_block_f32`, behind every update of Oja, subspace and GHA)
/// against an independent reference of the formulas in `hb_pca.h`, written here in Double;
/// the per-sample outputs against block boundaries; the sample contract against its
/// definition.
@Suite struct PCAStepTests {
  /// A seeded stream: Gaussian with per-axis scales 3, 2, 1.5, 1, … around an offset of 0.7,
  /// with an exact zero sample every 97.
  static func stream(d: Int, count: Int, seed: UInt64) -> [Float] {
    var rng = SeededGenerator(seed: seed)
    var x = [Float](repeating: 0, count: count * d)
    for s in 0..<count where s % 97 != 13 {
      for j in 0..<d {
        x[s * d + j] = Float(0.7 + rng.gaussian() * 3 / (1 + 0.5 * Double(j)))
      }
    }
    return x
  }

  /// The documented per-sample arithmetic (hb_pca.h) in Double: centring, input power,
  /// schedule, row rates, the rule's step with the old W on the right, output power.
  struct Reference {
    let rule: OnlinePCA.Rule
    let k: Int
    let d: Int
    let rate: LearningRate
    let centering: Bool
    var w: [Double]
    var mean: [Double]
    var power: [Double]
    var inputPower = 0.0
    var t = 0

    mutating func step(_ x: ArraySlice<Float>) -> [Double] {
      t += 1
      let floor = Double(rate.floor)
      var xc = x.map { Double($0) }
      if centering {
        let b = max(1 / Double(t), floor)
        for j in 0..<d {
          mean[j] += b * (xc[j] - mean[j])
          xc[j] -= mean[j]
        }
      }
      let p = xc.reduce(0) { $0 + $1 * $1 }
      let beta = max(1 / Double(t), 1e-3, floor)
      inputPower += beta * (p - inputPower)
      let alpha: Double
      switch rate {
      case .constant(let a): alpha = Double(a)
      case .inverse(let c, let t0, let f): alpha = max(Double(c) / (Double(t0) + Double(t - 1)), Double(f))
      case .power(let c, let t0, let f):
        let u = Double(t0) + Double(t - 1)
        alpha = max(Double(c) * u.squareRoot().squareRoot() / u, Double(f))
      }
      var y = [Double](repeating: 0, count: k)
      if p >= 1e-30 {
        for i in 0..<k { for j in 0..<d { y[i] += w[i * d + j] * xc[j] } }
        let eta = (0..<k).map { i -> Double in
          let s = max(power[i], inputPower / Double(d))
          return min(s > 0 ? alpha / s : 1 / p, 1 / p)
        }
        let old = w
        for i in 0..<k {
          let last = rule == .subspace ? k : i + 1
          for j in 0..<d {
            var r = xc[j]
            for m in 0..<last { r -= y[m] * old[m * d + j] }
            w[i * d + j] += eta[i] * y[i] * r
          }
        }
      }
      for i in 0..<k { power[i] += beta * (y[i] * y[i] - power[i]) }
      return y
    }
  }

  @Test(arguments: [false, true])
  func stepFollowsTheDocumentedFormulas(centering: Bool) throws {
    let rates: [LearningRate] = [
      .inverse(scale: 3, offset: 10, floor: 0.02), .power(scale: 0.5, offset: 10, floor: 0.02),
      .constant(0.05),
    ]
    for (rule, d, k) in [(OnlinePCA.Rule.oja, 6, 1), (.subspace, 6, 3), (.gha, 6, 3), (.gha, 17, 5)] {
      for rate in rates {
        var pca = try OnlinePCA(
          dimension: d, components: k, rule: rule, learningRate: rate, centering: centering)
        var ref = Reference(
          rule: rule, k: k, d: d, rate: rate, centering: centering,
          w: pca.state.weights.map { Double($0) }, mean: [Double](repeating: 0, count: d),
          power: [Double](repeating: 0, count: k))
        let n = 200
        let x = Self.stream(d: d, count: n, seed: UInt64(d + k))
        var worstY = 0.0
        for s in 0..<n {
          try pca.update(x.span.extracting((s * d)..<((s + 1) * d)))
          let want = ref.step(x[(s * d)..<((s + 1) * d)])
          for i in 0..<k { worstY = max(worstY, abs(Double(pca.lastOutput[i]) - want[i])) }
        }
        let tag = "\(rule.name) d=\(d) k=\(k) \(rate) centring=\(centering)"
        let st = pca.state
        let worstW = zip(st.weights, ref.w).map { abs(Double($0) - $1) }.max()!
        let worstP = zip(st.outputPower, ref.power).map { abs(Double($0) - $1) / max($1, 1) }.max()!
        #expect(st.samplesSeen == Int64(n), "\(tag)")
        #expect(worstW < 1e-4, "\(tag): |W - W_ref| = \(worstW)")
        #expect(worstY < 1e-3, "\(tag): |y - y_ref| = \(worstY)")
        #expect(worstP < 1e-4, "\(tag): output power off by \(worstP)")
        #expect(abs(Double(st.inputPower) - ref.inputPower) < 1e-4 * max(ref.inputPower, 1), "\(tag)")
      }
    }
  }

  func bits(_ v: [Float]) -> [UInt32] { v.map(\.bitPattern) }

  /// Each sample's outputs and the final state are the same bits whether the stream comes in
  /// one block, in blocks of any size (whole batches), or sample by sample: what makes
  /// `pca --project` the same for a file, a pipe and a resumed run.
  @Test func outputsDoNotDependOnBlockBoundaries() throws {
    let d = 6
    let n = 1100
    let x = Self.stream(d: d, count: n, seed: 3)
    for rule in OnlinePCA.Rule.allCases {
      for batch in rule.isHebbian ? [1, 4] : [1] {
        let k = rule == .oja ? 1 : 3
        func make() throws -> OnlinePCA {
          try OnlinePCA(dimension: d, components: k, rule: rule, centering: true, maxBatch: 4)
        }
        var whole = try make()
        var wholeY = [Float](repeating: 0, count: n * k)
        var out = wholeY.mutableSpan
        try whole.update(block: x.span, batch: batch, outputs: &out)
        _ = consume out

        var cut = try make()
        var cutY = [Float](repeating: 0, count: n * k)
        var done = 0
        var b = 0
        while done < n {
          let m = min([1, 7, 64, 2, 300][b % 5] * batch, n - done)
          var part = [Float](repeating: 0, count: m * k)
          var o = part.mutableSpan
          try cut.update(block: x.span.extracting((done * d)..<((done + m) * d)), batch: batch, outputs: &o)
          _ = consume o
          for i in 0..<(m * k) { cutY[done * k + i] = part[i] }
          done += m
          b += 1
        }
        let tag = "\(rule.name) batch \(batch)"
        #expect(bits(cutY) == bits(wholeY), "\(tag): outputs")
        #expect(cut.state == whole.state, "\(tag): state")
        #expect(wholeY.contains { $0 != 0 }, "\(tag): no outputs written")

        if batch == 1 {
          var single = try make()
          var singleY = [Float](repeating: 0, count: n * k)
          for s in 0..<n {
            try single.update(x.span.extracting((s * d)..<((s + 1) * d)))
            for i in 0..<k { singleY[s * k + i] = single.lastOutput[i] }
          }
          #expect(bits(singleY) == bits(wholeY), "\(tag): per-sample outputs")
          #expect(single.state == whole.state, "\(tag): per-sample state")
        }
      }
    }
  }

  /// An empty block changes nothing (no sample counted, nothing written).
  @Test func emptyBlockLeavesStateUntouched() {
    var w: [Float] = [0.6, 0.8, 0, 0, 0, 1]
    var mean: [Float] = [1, 2, 3]
    var power: [Float] = [0.5, 0.25]
    var y: [Float] = [7, 7]
    var xc: [Float] = [9, 9, 9]
    let before = (w, mean, power, y, xc)
    w.withUnsafeMutableBufferPointer { wp in
      mean.withUnsafeMutableBufferPointer { mp in
        power.withUnsafeMutableBufferPointer { pp in
          y.withUnsafeMutableBufferPointer { yp in
            xc.withUnsafeMutableBufferPointer { cp in
              var s = hb_pca_state()
              s.rule = HB_PCA_GHA
              s.k = 2
              s.d = 3
              s.W = wp.baseAddress
              s.ldw = 3
              s.mean = mp.baseAddress
              s.power = pp.baseAddress
              s.y = yp.baseAddress
              s.xc = cp.baseAddress
              s.input_power = 1.5
              s.samples_seen = 42
              s.centering = true
              s.rate_scale = 8
              s.rate_offset = 80
              hb_pca_hebbian_block_f32(&s, 0, nil, 3, nil)
              #expect(s.samples_seen == 42 && s.input_power == 1.5)
            }
          }
        }
      }
    }
    #expect(w == before.0 && mean == before.1 && power == before.2)
    #expect(y == before.3 && xc == before.4)
  }

  /// The sample contract (`hb_pca_samples_unfit`, which the learner and the CLI's reader both
  /// call) flags exactly the samples its definition refuses: a NaN or infinity, or a squared
  /// norm (in Double) neither 0 nor in [1e-30, 1e30]; checkSample throws for exactly those.
  @Test func sampleContractMatchesItsDefinition() {
    var rng = SeededGenerator(seed: 8)
    let palette: [Float] = [
      0, -0, 1, -2.5, 1e-15, 1.0000001e-15, 9.999999e-16, 1e15, 1.0000001e15, 9.999999e14,
      .nan, .infinity, -.infinity, .leastNonzeroMagnitude, .greatestFiniteMagnitude, 1e-20, 3e14,
    ]
    for d in 1...9 {
      let n = 3000
      var rows = [Float](repeating: 0, count: n * d)
      for i in 0..<(n * d) {
        rows[i] =
          rng.next() % 3 == 0
          ? palette[Int(rng.next() % UInt64(palette.count))]
          : Float(Int(rng.next() % 2001) - 1000) * 1e-3
      }
      if d == 1 { rows[0] = 0 }  // an all-zero sample is accepted
      var defined: [Int] = []
      var thrown: [Int] = []
      for i in 0..<n {
        let row = rows[(i * d)..<((i + 1) * d)]
        let s = row.reduce(0.0) { $0 + Double($1) * Double($1) }
        if !row.allSatisfy(\.isFinite) || (s != 0 && !(s >= 1e-30 && s <= 1e30)) {
          defined.append(i)
        }
        do throws(HebbianError) {
          try OnlinePCA.checkSample(rows.span.extracting((i * d)..<((i + 1) * d)))
        } catch {
          thrown.append(i)
        }
      }
      var flagged: [Int] = []
      var from = 0
      while from < n {
        let bad = rows.withUnsafeBufferPointer { b in
          OnlinePCA.firstUnfitSample(b.baseAddress! + from * d, count: n - from, dimension: d)
        }
        guard let s = bad else { break }
        flagged.append(from + s)
        from += s + 1
      }
      #expect(defined.count > n / 50, "d \(d)")
      #expect(flagged == defined, "d \(d)")
      #expect(thrown == defined, "d \(d)")
    }
  }
}
