/// A small, fast, seedable generator (xoshiro256**, Blackman & Vigna 2018) so every stream,
/// initialisation and recall order in the library is reproducible from one seed, on every
/// platform, hosted or embedded.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
  private var s0: UInt64, s1: UInt64, s2: UInt64, s3: UInt64

  public init(seed: UInt64) {
    // SplitMix64 spreads any seed (including 0) over the 256-bit state.
    var z = seed
    func next(_ z: inout UInt64) -> UInt64 {
      z &+= 0x9E37_79B9_7F4A_7C15
      var x = z
      x = (x ^ (x >> 30)) &* 0xBF58_476D_1CE4_E5B9
      x = (x ^ (x >> 27)) &* 0x94D0_49BB_1331_11EB
      return x ^ (x >> 31)
    }
    s0 = next(&z)
    s1 = next(&z)
    s2 = next(&z)
    s3 = next(&z)
  }

  /// The 256-bit state, for checkpoints: a generator rebuilt with ``init(state:)`` continues
  /// the same sequence.
  public var state: [UInt64] { [s0, s1, s2, s3] }

  /// Continues from a saved ``state`` (four words, not all zero: xoshiro's one fixed point).
  public init?(state: [UInt64]) {
    guard state.count == 4, state.contains(where: { $0 != 0 }) else { return nil }
    s0 = state[0]
    s1 = state[1]
    s2 = state[2]
    s3 = state[3]
  }

  public mutating func next() -> UInt64 {
    let result = ((s1 &* 5) << 7 | (s1 &* 5) >> 57) &* 9
    let t = s1 << 17
    s2 ^= s0
    s3 ^= s1
    s1 ^= s2
    s0 ^= s3
    s2 ^= t
    s3 = (s3 << 45) | (s3 >> 19)
    return result
  }

  /// Uniform in [0, 1) with 53 random bits.
  public mutating func uniform() -> Double {
    Double(next() >> 11) * 0x1.0p-53
  }

  /// Standard normal (Box–Muller; one of the pair is discarded to keep the state simple).
  public mutating func gaussian() -> Double {
    var u1 = uniform()
    while u1 <= 0 { u1 = uniform() }
    let u2 = uniform()
    return (-2 * Math.log(u1)).squareRoot() * Math.cos(2 * Double.pi * u2)
  }

  /// +1 or -1 with equal probability.
  public mutating func sign() -> Float {
    next() & 1 == 0 ? 1 : -1
  }
}
