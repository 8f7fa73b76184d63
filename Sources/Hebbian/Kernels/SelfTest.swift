internal import CHebbian

/// One line of the kernel self-test: one kernel of one family in one variant, compared with
/// the scalar reference over the whole sweep.
public struct KernelSelfTestRow: Sendable {
  public var family: String
  public var kernel: String
  public var isa: ISA
  /// Calls compared (each one shape, stride, scalar choice).
  public var cases: Int
  /// The largest |variant − reference| / S over every element of every case, where S is the
  /// element's condition magnitude (the sum of the magnitudes of the terms that form it, see
  /// ``KernelSelfTest``). Elements a kernel must not touch count as exact comparisons.
  public var maxError: Float
  /// The bound `maxError` must stay within: c·(L+2)·ε for a length-L reduction at the
  /// largest L of the sweep, 2ε for a single product-add, 0 for a single product.
  public var tolerance: Float
  /// The family has no body for this variant yet: the dispatcher runs the scalar one, and
  /// that is what the row compared.
  public var scalarFallback = false
  public var passed: Bool { cases > 0 && maxError <= tolerance }

  public init(
    family: String, kernel: String, isa: ISA, cases: Int, maxError: Float, tolerance: Float,
    scalarFallback: Bool = false
  ) {
    self.family = family
    self.kernel = kernel
    self.isa = isa
    self.cases = cases
    self.maxError = maxError
    self.tolerance = tolerance
    self.scalarFallback = scalarFallback
  }
}

/// Runs every kernel of the C catalogue under every variant the running CPU supports against
/// the scalar reference, over the sweep the unit tests use (``KernelSweep``): lengths 1…67
/// (every tail of 4- and 8-lane bodies and their unrolled loops), strides 1 and 3, operands
/// one float past a 64-byte boundary, matrices with a leading dimension larger than their
/// width, alpha and beta including 0 and negative values. It is meant for boards:
/// `hebbian selftest` prints its rows.
///
/// Errors are measured relative to the condition magnitude S of each element, so one
/// tolerance serves every size: with ε = 2⁻²³,
/// - a reduction of L terms (dot, gemv rows, gemv_t columns, rank-k entries, nrm2 with a
///   float sum of squares) differs from the reference by at most (L+2)ε·S, S = Σ|terms|;
/// - one product-add (axpy, ger) by at most 2ε·S (an FMA does not round the product);
/// - one product (scal) not at all;
/// - a rule step (y = Wx, then W += η·y·r) by at most (2d + k + 10)ε·S with
///   S = |W_ij| + |η|·Y_i·R_j, Y_i = Σ_j|W_ij x_j|, R_j = |x_j| + Σ_i Y_i|W_ij|: the error of
///   y (≤ (d+2)ε Y) enters the update twice, through y and through the residual r.
///
/// Each kernel's sweep, its S and its bound are its contract, written beside its bodies in
/// `Sources/CHebbian/<op>/<op>-contract.c` and reached through the kernel list: a new kernel
/// is a row of the list and its folder, and `selftest` covers it with no change here.
public enum KernelSelfTest {
  /// All rows, family by family in the order of the kernel list, then variant by variant
  /// (scalar included, as a check of the harness itself).
  public static func run(seed: UInt64 = 0x5EED) -> [KernelSelfTestRow] {
    var rows: [KernelSelfTestRow] = []
    let kernels = KernelSweep.catalogue
    var families: [String] = []
    for k in kernels where !families.containsBytes(k.family) { families.append(k.family) }
    for family in families {
      for isa in KernelSweep.variants {
        for k in kernels where k.family.isBytes(family) {
          rows.append(KernelSweep.run(k, isa, seed: seed))
        }
      }
    }
    return rows
  }
}
