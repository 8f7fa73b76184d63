import Hebbian

/// A synthetic 8-sensor stream for the monitor's tests: three smooth latent signals (AR(1),
/// unit variance) mixed into eight channels with noise, then six kinds of fault injected one
/// after another, each in its own stretch with normal data between them.
struct FaultyStream {
  enum Fault: Int, CaseIterable {
    case spike, stuckAt, drift, noiseBurst, correlationBreak, gainChange

    var name: String {
      switch self {
      case .spike: return "spike"
      case .stuckAt: return "stuck-at"
      case .drift: return "drift"
      case .noiseBurst: return "noise burst"
      case .correlationBreak: return "correlation break"
      case .gainChange: return "gain change"
      }
    }
  }

  static let channels = 8
  static let latents = 3
  /// Samples before the first fault (learn and calibrate, then fault-free detection).
  let clean: Int
  /// Length of each fault and of the normal stretch after it.
  let faultLength = 300
  let gap = 1500
  /// x (row-major, `channels` per sample) and, per sample, the fault active there (nil: none).
  var samples: [Float] = []
  var fault: [Fault?] = []
  var onsets: [(Fault, Int)] = []

  init(clean: Int, seed: UInt64) {
    self.clean = clean
    let d = Self.channels
    var rng = SeededGenerator(seed: seed)
    // Loadings: each channel a mix of the three latents, some strongly shared.
    var a = [Double](repeating: 0, count: d * Self.latents)
    for i in 0..<a.count { a[i] = rng.gaussian() }
    let noise = 0.3
    var s = [Double](repeating: 0, count: Self.latents)
    let phi = [0.95, 0.9, 0.8]
    var stuck = [Double](repeating: 0, count: d)
    let total = clean + Fault.allCases.count * (faultLength + gap)
    samples.reserveCapacity(total * d)
    for t in 0..<total {
      for l in 0..<Self.latents {
        s[l] = phi[l] * s[l] + (1 - phi[l] * phi[l]).squareRoot() * rng.gaussian()
      }
      var x = [Double](repeating: 0, count: d)
      for j in 0..<d {
        var v = 0.0
        for l in 0..<Self.latents { v += a[j * Self.latents + l] * s[l] }
        x[j] = v + noise * rng.gaussian()
      }
      var active: Fault? = nil
      if t >= clean {
        let at = (t - clean) % (faultLength + gap)
        let f = Fault(rawValue: (t - clean) / (faultLength + gap))!
        if at == 0 { onsets.append((f, t)) }
        if at < faultLength {
          active = f
          switch f {
          case .spike:
            // A few isolated spikes of 6 channel deviations.
            if at % 50 == 0 { x[2] += 6 * Self.spread(a, j: 2, noise) } else { active = nil }
          case .stuckAt:
            if at == 0 { stuck[5] = x[5] }
            x[5] = stuck[5]
          case .drift:
            x[1] += 4 * Self.spread(a, j: 1, noise) * Double(at) / Double(faultLength)
          case .noiseBurst:
            // A loose connector: ten times the sensor's noise.
            x[3] += 10 * noise * rng.gaussian()
          case .correlationBreak:
            // Channel 4 keeps its mean and variance but follows its latents with the opposite
            // sign: every channel alone looks as before.
            var v = 0.0
            for l in 0..<Self.latents { v += a[4 * Self.latents + l] * s[l] }
            x[4] = -v + noise * rng.gaussian()
          case .gainChange:
            x[6] *= 2
          }
        }
      }
      for j in 0..<d { samples.append(Float(x[j])) }
      fault.append(active)
    }
  }

  /// Standard deviation of channel j: its loadings' norm with the noise.
  static func spread(_ a: [Double], j: Int, _ noise: Double) -> Double {
    var v = noise * noise
    for l in 0..<latents { v += a[j * latents + l] * a[j * latents + l] }
    return v.squareRoot()
  }

  var count: Int { fault.count }

  func sample(_ t: Int) -> ArraySlice<Float> {
    samples[(t * Self.channels)..<((t + 1) * Self.channels)]
  }
}
