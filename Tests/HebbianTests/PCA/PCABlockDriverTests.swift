import CHebbian
import Testing

@testable import Hebbian

/// The C driver of the per-sample loop (`hb_pca_hebbian_block_f32`) against
/// `OnlinePCA.unsafeUpdate` on the same stream: the weights, mean, output and input power,
/// sample count and every sample's outputs must agree bit for bit (tolerance 0: the driver
/// promises the same Float operations in the same order, on the same variant), whatever the
/// block boundaries.
@Suite struct PCABlockDriverTests {
  static let dims = [1, 2, 3, 6, 7, 8, 9, 15, 16, 17, 64]
  static let schedules: [LearningRate] = [
    .standard, .inverse(scale: 3, offset: 10, floor: 0.02), .constant(0.05),
    .inverse(scale: 0.5, offset: 0, floor: 0),
  ]
  /// Block sizes cycled through, so boundaries fall everywhere.
  static let blocks = [1, 7, 64, 2, 300]

  /// A seeded stream of `count` samples: Gaussian with per-axis scales 3, 2, 1.5, 1, … around
  /// an offset of 0.7, with exact zero samples, tiny ones (|x|² ≈ 1e-31 · d, learned as the
  /// zero sample without centring) and runs of one repeated sample (whose centred residual
  /// shrinks towards zero).
  static func stream(d: Int, count: Int, seed: UInt64) -> [Float] {
    var rng = SeededGenerator(seed: seed)
    var x = [Float](repeating: 0, count: count * d)
    var s = 0
    while s < count {
      let kind = s % 97
      if kind == 13 {
        s += 1  // zero sample
        continue
      }
      for j in 0..<d {
        let g = rng.gaussian()
        x[s * d + j] = kind == 29 ? Float(g * 3e-16) : Float(0.7 + g * 3 / (1 + 0.5 * Double(j)))
      }
      if kind == 50 {
        // The same sample five times.
        for r in 1..<5 where s + r < count {
          for j in 0..<d { x[(s + r) * d + j] = x[s * d + j] }
        }
        s += 5
      } else {
        s += 1
      }
    }
    return x
  }

  func shapes() -> [(rule: OnlinePCA.Rule, d: Int, k: Int)] {
    var out: [(rule: OnlinePCA.Rule, d: Int, k: Int)] = []
    for d in Self.dims {
      out.append((.oja, d, 1))
      for k in Set([1, min(3, d), min(9, d), d <= 16 ? d : 16]).sorted() {
        out.append((.subspace, d, k))
        out.append((.gha, d, k))
      }
    }
    return out
  }

  /// Runs `count` samples through a learner per sample and through the driver from the same
  /// state, and compares everything bit for bit.
  func compare(
    _ rule: OnlinePCA.Rule, d: Int, k: Int, rate: LearningRate, centering: Bool, count: Int,
    startAt t0: Int64 = 0
  ) throws {
    var pca = try OnlinePCA(
      dimension: d, components: k, rule: rule, learningRate: rate, centering: centering,
      seed: UInt64(d * 100 + k))
    if t0 > 0 {
      var s = pca.state
      s.samplesSeen = t0
      s.inputPower = 2
      s.outputPower = (0..<k).map { Float(1 + $0) / 4 }
      s.mean = (0..<d).map { Float($0) / 10 }
      try pca.restore(s)
    }
    let start = pca.state
    let x = Self.stream(d: d, count: count, seed: UInt64(d * 7 + k + (centering ? 1 : 0)))
    var outputs = [Float](repeating: 0, count: count * k)
    x.withUnsafeBufferPointer { xp in
      for s in 0..<count {
        pca.unsafeUpdate(xp.baseAddress! + s * d)
        for i in 0..<k { outputs[s * k + i] = pca.lastOutput[i] }
      }
    }
    let want = pca.state

    var w = start.weights
    var mean = start.mean
    var power = start.outputPower
    var y = [Float](repeating: 0, count: k)
    var xc = [Float](repeating: 0, count: d)
    var rates = [Float](repeating: 0, count: k)
    var got = [Float](repeating: 0, count: count * k)
    let (constant, scale, offset): (Bool, Float, Float)
    switch rate {
    case .constant(let a): (constant, scale, offset) = (true, a, 0)
    case .inverse(let s, let o, _): (constant, scale, offset) = (false, s, o)
    }
    var state = hb_pca_state()
    state.rule = hb_pca_rule(rawValue: UInt32(rule.rawValue))
    state.k = k
    state.d = d
    state.ldw = d
    state.input_power = start.inputPower
    state.samples_seen = start.samplesSeen
    state.centering = centering
    state.rate_constant = constant
    state.rate_scale = scale
    state.rate_offset = offset
    state.rate_floor = rate.floor
    w.withUnsafeMutableBufferPointer { wp in
      mean.withUnsafeMutableBufferPointer { mp in
        power.withUnsafeMutableBufferPointer { pp in
          y.withUnsafeMutableBufferPointer { yp in
            xc.withUnsafeMutableBufferPointer { cp in
              rates.withUnsafeMutableBufferPointer { ep in
                state.eta = ep.baseAddress
                x.withUnsafeBufferPointer { xp in
                  got.withUnsafeMutableBufferPointer { gp in
                    state.W = wp.baseAddress
                    state.mean = mp.baseAddress
                    state.power = pp.baseAddress
                    state.y = yp.baseAddress
                    state.xc = cp.baseAddress
                    var done = 0
                    var b = 0
                    while done < count {
                      let n = min(Self.blocks[b % Self.blocks.count], count - done)
                      hb_pca_hebbian_block_f32(
                        &state, n, xp.baseAddress! + done * d, d, gp.baseAddress! + done * k)
                      done += n
                      b += 1
                    }
                  }
                }
              }
            }
          }
        }
      }
    }
    let tag = "\(rule.name) d=\(d) k=\(k) \(rate) centring=\(centering) from t=\(t0)"
    #expect(state.samples_seen == want.samplesSeen, "\(tag): samples seen")
    #expect(state.input_power.bitPattern == want.inputPower.bitPattern, "\(tag): input power")
    #expect(bits(w) == bits(want.weights), "\(tag): weights")
    #expect(bits(power) == bits(want.outputPower), "\(tag): output power")
    #expect(bits(mean) == bits(want.mean), "\(tag): mean")
    #expect(bits(got) == bits(outputs), "\(tag): outputs")
    #expect(bits(y) == bits(pca.lastOutput), "\(tag): last output")
    // The stream moved the learner, so a driver that did nothing fails above. At k = d an
    // orthonormal W already spans everything and is a fixed point of the subspace rule (and
    // of Oja's at d = 1).
    if k < d { #expect(want.weights != start.weights, "\(tag): the stream did not move W") }
  }

  func bits(_ v: [Float]) -> [UInt32] { v.map(\.bitPattern) }

  @Test(arguments: [false, true])
  func driverMatchesPerSampleUpdateBitForBit(centering: Bool) throws {
    for (rule, d, k) in shapes() {
      for rate in Self.schedules {
        try compare(rule, d: d, k: k, rate: rate, centering: centering, count: 1100)
      }
    }
  }

  /// Past 2^24 samples Float(t) rounds: the rate, the running-mean weights and the centring
  /// must round the same way on both sides.
  @Test func driverMatchesPastTwoToTheTwentyFourSamples() throws {
    for (rule, d, k) in [(OnlinePCA.Rule.gha, 6, 3), (.subspace, 9, 4), (.oja, 17, 1)] {
      for rate in Self.schedules {
        try compare(
          rule, d: d, k: k, rate: rate, centering: true, count: 300, startAt: 16_777_100)
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
}
