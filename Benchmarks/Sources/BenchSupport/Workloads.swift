import CHebbian
import COpenBLAS
import Hebbian

#if canImport(Glibc)
  import Glibc
#endif

/// One benchmarked call: a kernel variant on one shape, with buffers allocated once here so
/// that `run()` is exactly one kernel call (plus one call into the workload) and allocates
/// nothing. The
/// kernels of the list come from their contracts (`hb_kernel_workload`, written beside each
/// kernel's bodies); the OpenBLAS compositions and the memcpy of the roofline are closures.
public final class Workload: @unchecked Sendable {
  /// The kernel's op without a trailing "_step" ("dot", "gemv", "gha", "stdp_trace", …), or
  /// "openblas"-style compositions' rule name.
  public let kernel: String
  /// "scalar", "avx2", "neon" or "openblas".
  public let variant: String
  public let d: Int
  /// Rows (neurons) of the matrix kernels; 1 for the vector kernels.
  public let k: Int
  /// Floating-point operations of one call, an FMA counted as two.
  public let flops: Int
  /// False for the kernels of one length d (dot, axpy, oja, softmax, …).
  public let usesK: Bool
  private let body: () -> Void
  private let buffers: [UnsafeMutableRawPointer]
  private let contract: UnsafeMutablePointer<hb_workload>?
  private let contractRun: (@convention(c) (UnsafeMutablePointer<hb_workload>?) -> Void)?

  public var name: String {
    kernel + " " + variant + " d=" + String(d) + (usesK ? " k=" + String(k) : "")
  }

  init(
    _ kernel: String, _ variant: String, d: Int, k: Int, flops: Int,
    buffers: [UnsafeMutablePointer<Float>], body: @escaping () -> Void
  ) {
    self.kernel = kernel
    self.variant = variant
    self.d = d
    self.k = k
    self.flops = flops
    self.usesK = true
    self.buffers = buffers.map { UnsafeMutableRawPointer($0) }
    self.body = body
    self.contract = nil
    self.contractRun = nil
  }

  /// A kernel's workload from its contract; `w` is owned from here on.
  init(_ kernel: String, _ variant: String, contract w: UnsafeMutablePointer<hb_workload>) {
    self.kernel = kernel
    self.variant = variant
    self.d = w.pointee.d
    self.usesK = w.pointee.uses_k
    self.k = usesK ? w.pointee.k : 1
    self.flops = w.pointee.flops
    self.buffers = []
    // The contract's run stands where the closure would: one call, then the kernel's body.
    self.body = {}
    self.contractRun = w.pointee.run
    self.contract = w
  }

  deinit {
    for b in buffers { b.deallocate() }
    hb_workload_free(contract)
  }

  @inline(__always) public func run() {
    if let contractRun { contractRun(contract) } else { body() }
  }
}

public enum Workloads {
  public static let eta: Float = 1e-3

  /// Every supported variant of the library (scalar first).
  public static var isas: [ISA] { ISA.supported }

  /// The kernel list's rows (hb_kernel_at), named as the workloads are: the op without its
  /// trailing "_step".
  public static var catalogue: [(kernel: String, family: String)] {
    (0..<hb_kernel_count()).compactMap { i in
      guard let info = hb_kernel_at(i)?.pointee else { return nil }
      var name = String(String(cString: info.name).dropFirst(3).dropLast(4))
      if name.hasSuffix("_step") { name.removeLast(5) }
      return (name, String(cString: info.family))
    }
  }

  /// Kernels of the list whose contract builds no workload: the benchmark suite and the
  /// allocation check refuse to run while this is not empty.
  public static var uncovered: [String] {
    catalogue.map(\.kernel).filter { workload($0, .scalar, d: 16, k: 2) == nil }
  }

  static func buffer(_ n: Int, _ rng: inout SeededGenerator, scale: Double = 1)
    -> UnsafeMutablePointer<Float>
  {
    let p = UnsafeMutablePointer<Float>.allocate(capacity: max(n, 1))
    for i in 0..<n { p[i] = Float(rng.gaussian() * scale) }
    return p
  }

  /// A unit-norm sample: η|x|² ≪ 1 keeps the rules stable over any number of repetitions.
  static func sample(_ d: Int, _ rng: inout SeededGenerator) -> UnsafeMutablePointer<Float> {
    let x = buffer(d, &rng)
    var n2: Float = 0
    for i in 0..<d { n2 += x[i] * x[i] }
    let inv = 1 / n2.squareRoot()
    for i in 0..<d { x[i] *= inv }
    return x
  }

  /// One call of `kernel` (a ``catalogue`` name) under `isa` on a k × d shape (length d for the
  /// vector kernels), or nil when the kernel is not in the list or the variant is not
  /// supported. Every workload's state stays bounded over any number of calls.
  public static func workload(_ kernel: String, _ isa: ISA, d: Int, k: Int) -> Workload? {
    guard let i = catalogue.firstIndex(where: { $0.kernel == kernel }),
      let w = hb_kernel_workload(i, hb_isa(rawValue: UInt32(isa.rawValue)), k, d)
    else { return nil }
    return Workload(kernel, isa.name, contract: w)
  }

  /// Every kernel of the list under every supported variant on one shape, the vector kernels
  /// only when `includeVector`.
  public static func kernels(d: Int, k: Int, includeVector: Bool = true, family: String? = nil)
    -> [Workload]
  {
    var out: [Workload] = []
    for isa in isas {
      for c in catalogue where family == nil || c.family == family {
        if let w = workload(c.kernel, isa, d: d, k: k), includeVector || w.usesK { out.append(w) }
      }
    }
    return out
  }

  /// The rule steps (subspace, gha, and oja when `includeOja`) of every supported variant,
  /// plus the OpenBLAS compositions of subspace and gha.
  public static func rules(d: Int, k: Int, includeOja: Bool = true) -> [Workload] {
    kernels(d: d, k: k, includeVector: includeOja, family: "rule") + openBLAS(d: d, k: k)
  }

  /// The same updates composed from OpenBLAS calls per sample, single-threaded:
  ///   subspace: y = W x (sgemv), r = x − Wᵀ y (scopy + sgemv transposed), W += η y rᵀ (sger)
  ///   gha:      y = W x (sgemv), r = x, then per row i: r −= y_i W_i, W_i += η y_i r (2k saxpy)
  /// Both do the fused kernels' 6kd flops; gha needs the row loop because its residual is
  /// cumulative (the matrix form LT(y yᵀ) W would cost 2k²d).
  public static func openBLAS(d: Int, k: Int) -> [Workload] {
    openblas_set_num_threads(1)
    var out: [Workload] = []
    var rng = SeededGenerator(seed: UInt64(d * 131 + k))
    let n = Int32(d), m = Int32(k)
    // The same operands for both rules, drawn in the same order as before the rules shared
    // this setup, so the workloads (and their numbers) are unchanged.
    for rule in ["subspace", "gha"] {
      let x = sample(d, &rng), w = buffer(k * d, &rng, scale: 1 / Double(d).squareRoot())
      let y = UnsafeMutablePointer<Float>.allocate(capacity: k)
      let r = UnsafeMutablePointer<Float>.allocate(capacity: d)
      let subspace = rule == "subspace"
      out.append(
        Workload(rule, "openblas", d: d, k: k, flops: 6 * k * d, buffers: [x, w, y, r]) {
          cblas_sgemv(CblasRowMajor, CblasNoTrans, m, n, 1, w, n, x, 1, 0, y, 1)
          cblas_scopy(n, x, 1, r, 1)
          if subspace {
            cblas_sgemv(CblasRowMajor, CblasTrans, m, n, -1, w, n, y, 1, 1, r, 1)
            cblas_sger(CblasRowMajor, m, n, eta, y, 1, r, 1, w, n)
            return
          }
          for i in 0..<k {
            let wi = w + i * d
            cblas_saxpy(n, -y[i], wi, 1, r, 1)
            cblas_saxpy(n, eta * y[i], r, 1, wi, 1)
          }
        })
    }
    return out
  }

  /// The last-level data cache as the OS reports it (sysconf), or 32 MiB when it reports none.
  public static func lastLevelCacheBytes() -> Int {
    #if canImport(Glibc)
      for name in [_SC_LEVEL3_CACHE_SIZE, _SC_LEVEL2_CACHE_SIZE] {
        let v = sysconf(Int32(name))
        if v > 0 { return v }
      }
    #endif
    return 32 << 20
  }

  /// The DRAM roofline: gha and subspace of the best variant at d = 16384 with the fewest k
  /// (a multiple of 8) that make W at least four times the last-level cache (as `hebbian bench
  /// --roofline`: at twice, a victim L3 still serves part of a pass), plus a memcpy of W's
  /// size. The steps move 12kd bytes of W per call (read twice, written once), the copy
  /// 2 x its size (read + written): GB/s = bytes x calls/s.
  public static func roofline() -> [Workload] {
    let d = 16384
    let k = ((4 * lastLevelCacheBytes() + 4 * d - 1) / (4 * d) + 7) / 8 * 8
    var out = ["gha", "subspace"].compactMap { workload($0, ISA.best, d: d, k: k) }
    var rng = SeededGenerator(seed: 19)
    let from = buffer(k * d, &rng), to = buffer(k * d, &rng)
    let bytes = 4 * k * d
    out.append(
      Workload("copy", "memcpy", d: d, k: k, flops: 0, buffers: [from, to]) {
        _ = memcpy(to, from, bytes)
      })
    return out
  }

  /// Every kernel of the list over the shape grid (vector kernels once per d, matrix kernels
  /// per (d, k)) under every supported variant, plus the OpenBLAS compositions.
  public static func all(ds: [Int], ks: [Int]) -> [Workload] {
    var out: [Workload] = []
    for d in ds {
      for (i, k) in ks.enumerated() {
        out += kernels(d: d, k: k, includeVector: i == 0) + openBLAS(d: d, k: k)
      }
    }
    return out
  }
}
