/// The two distributions the monitor's theoretical control limits come from: χ² (Box's
/// approximation of the Q statistic) and Fisher's F (Hotelling's T² of a new observation).
/// Upper quantiles only, in Double, without allocating; they run when the limits are set,
/// never per sample.
public enum Distributions {
  /// The regularised lower incomplete gamma function P(a, x) = γ(a, x) / Γ(a).
  public static func regularizedGammaP(_ a: Double, _ x: Double) -> Double {
    gammaTails(a, x).lower
  }

  /// Both tails, P and Q = 1 − P, each computed from its own expansion so that a tail of
  /// 1e-12 keeps its digits instead of being 1 minus something near 1.
  static func gammaTails(_ a: Double, _ x: Double) -> (lower: Double, upper: Double) {
    guard a > 0, x > 0 else { return (0, 1) }
    if x.isInfinite { return (1, 0) }
    let prefix = Math.exp(a * Math.log(x) - x - Math.logGamma(a))
    if x < a + 1 {
      // The series converges fast below the mode: Σ xⁿ / (a (a+1) … (a+n)).
      var term = 1 / a
      var sum = term
      var n = 1.0
      while n < 10_000 {
        term *= x / (a + n)
        sum += term
        if Swift.abs(term) < Swift.abs(sum) * 1e-17 { break }
        n += 1
      }
      let p = Swift.min(1, sum * prefix)
      return (p, 1 - p)
    }
    // Above it, the continued fraction of Q (modified Lentz).
    let tiny = lentzTiny
    var b = x + 1 - a
    var c = 1 / tiny
    var d = 1 / b
    var h = d
    var i = 1.0
    while i < 10_000 {
      b += 2
      let delta = lentzFactor(-i * (i - a), b, &c, &d)
      h *= delta
      if Swift.abs(delta - 1) < 1e-16 { break }
      i += 1
    }
    let q = Swift.min(1, Swift.max(0, prefix * h))
    return (1 - q, q)
  }

  /// The regularised incomplete beta function I_x(a, b).
  public static func regularizedBeta(_ x: Double, _ a: Double, _ b: Double) -> Double {
    betaTails(x, a, b).lower
  }

  /// I_x(a, b) and 1 − I_x(a, b), each from the expansion that keeps its digits.
  static func betaTails(_ x: Double, _ a: Double, _ b: Double) -> (lower: Double, upper: Double) {
    guard x > 0 else { return (0, 1) }
    guard x < 1 else { return (1, 0) }
    let logFront =
      Math.logGamma(a + b) - Math.logGamma(a) - Math.logGamma(b) + a * Math.log(x) + b
      * Math.log(1 - x)
    // The continued fraction converges for x < (a+1)/(a+b+2); use the symmetry otherwise.
    if x < (a + 1) / (a + b + 2) {
      let lower = Swift.min(1, Math.exp(logFront) * betaFraction(x, a, b) / a)
      return (lower, 1 - lower)
    }
    let upper = Swift.min(1, Math.exp(logFront) * betaFraction(1 - x, b, a) / b)
    return (1 - upper, upper)
  }

  private static func betaFraction(_ x: Double, _ a: Double, _ b: Double) -> Double {
    let tiny = lentzTiny
    var c = 1.0
    var d = 1 - (a + b) * x / (a + 1)
    if Swift.abs(d) < tiny { d = tiny }
    d = 1 / d
    var h = d
    var m = 1.0
    while m < 10_000 {
      let m2 = 2 * m
      h *= lentzFactor(m * (b - m) * x / ((a + m2 - 1) * (a + m2)), 1, &c, &d)
      let delta = lentzFactor(-(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1)), 1, &c, &d)
      h *= delta
      if Swift.abs(delta - 1) < 1e-16 { break }
      m += 1
    }
    return h
  }

  /// One step of the modified Lentz method for a continued fraction with partial numerator
  /// `a` and denominator `b`: updates C and D (kept off zero) and returns the factor C·D the
  /// estimate is multiplied by; the fraction has converged when it is 1.
  @inline(__always)
  private static func lentzFactor(_ a: Double, _ b: Double, _ c: inout Double, _ d: inout Double)
    -> Double
  {
    d = a * d + b
    if Swift.abs(d) < lentzTiny { d = lentzTiny }
    c = b + a / c
    if Swift.abs(c) < lentzTiny { c = lentzTiny }
    d = 1 / d
    return d * c
  }

  /// The Lentz method's stand-in for 0.
  private static var lentzTiny: Double { 1e-300 }

  /// P(χ²_ν ≤ x).
  public static func chiSquaredCDF(_ x: Double, degrees nu: Double) -> Double {
    gammaTails(nu / 2, x / 2).lower
  }

  /// P(F_{d1,d2} ≤ x).
  public static func fCDF(_ x: Double, _ d1: Double, _ d2: Double) -> Double {
    guard x > 0 else { return 0 }
    return betaTails(d1 * x / (d1 * x + d2), d1 / 2, d2 / 2).lower
  }

  /// The x with P(χ²_ν > x) = alpha, for 0 < alpha < 1 and ν > 0: the upper 1 − alpha quantile.
  public static func chiSquaredUpperQuantile(_ alpha: Double, degrees nu: Double) -> Double {
    invertUpperTail(alpha) { gammaTails(nu / 2, $0 / 2).upper }
  }

  /// The x with P(F_{d1,d2} > x) = alpha, for 0 < alpha < 1.
  public static func fUpperQuantile(_ alpha: Double, _ d1: Double, _ d2: Double) -> Double {
    invertUpperTail(alpha) { betaTails(d1 * $0 / (d1 * $0 + d2), d1 / 2, d2 / 2).upper }
  }

  /// The root of tail(x) = alpha for a decreasing tail on (0, ∞): bracket by doubling, then
  /// bisect in the logarithm of x, so quantiles many decades out cost the same few steps.
  private static func invertUpperTail(_ alpha: Double, _ tail: (Double) -> Double) -> Double {
    var high = 1.0
    while tail(high) > alpha && high < 1e300 { high *= 2 }
    var low = high / 2
    while tail(low) < alpha && low > 1e-300 { low /= 2 }
    for _ in 0..<200 {
      let mid = (low * high).squareRoot()
      if tail(mid) > alpha { low = mid } else { high = mid }
      if high - low <= high * 1e-15 { break }
    }
    return (low * high).squareRoot()
  }
}
