import CHebbian
import COpenBLAS
import Hebbian

#if canImport(Glibc)
  import Glibc
#endif

/// One benchmarked call: a kernel variant on one shape, with buffers allocated once here so
/// that `run()` is exactly one kernel call (plus a closure call) and allocates nothing.
public final class Workload: @unchecked Sendable {
  /// Kernel family member: "dot", "gemv", "gha", …
  public let kernel: String
  /// "scalar", "avx2", "neon" or "openblas".
  public let variant: String
  public let d: Int
  /// Rows (neurons) of the matrix kernels; 1 for the vector kernels.
  public let k: Int
  /// Floating-point operations of one call, an FMA counted as two.
  public let flops: Int
  private let body: () -> Void
  private let buffers: [UnsafeMutablePointer<Float>]

  public var name: String {
    kernel + " " + variant + " d=" + String(d) + (usesK ? " k=" + String(k) : "")
  }
  public var usesK: Bool { !Workloads.vectorKernels.contains(kernel) }

  init(
    _ kernel: String, _ variant: String, d: Int, k: Int, flops: Int,
    buffers: [UnsafeMutablePointer<Float>], body: @escaping () -> Void
  ) {
    self.kernel = kernel
    self.variant = variant
    self.d = d
    self.k = k
    self.flops = flops
    self.buffers = buffers
    self.body = body
  }

  deinit { for b in buffers { b.deallocate() } }

  @inline(__always) public func run() { body() }
}

public enum Workloads {
  public static let vectorKernels = ["dot", "axpy", "scal", "nrm2", "oja"]
  /// Rows of the mini-batch of the rank-k accumulate.
  public static let batch = 8
  public static let eta: Float = 1e-3

  /// Every supported variant of the library (scalar first).
  public static var isas: [ISA] { ISA.supported }

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

  /// The rule steps (oja, subspace, gha) of every supported variant, plus the OpenBLAS
  /// compositions of subspace and gha.
  public static func rules(d: Int, k: Int, includeOja: Bool = true) -> [Workload] {
    var out: [Workload] = []
    for isa in isas {
      guard let t = hb_rule_kernels_for(hb_isa(rawValue: UInt32(isa.rawValue)))?.pointee else {
        continue
      }
      var rng = SeededGenerator(seed: UInt64(d * 131 + k))
      if includeOja {
        let x = sample(d, &rng), w = buffer(d, &rng, scale: 1 / Double(d).squareRoot())
        let y = UnsafeMutablePointer<Float>.allocate(capacity: 1)
        let step = t.oja_step!
        out.append(
          Workload("oja", isa.name, d: d, k: 1, flops: 6 * d, buffers: [x, w, y]) {
            y[0] = step(d, eta, x, w)
          })
      }
      for rule in ["subspace", "gha"] {
        let x = sample(d, &rng), w = buffer(k * d, &rng, scale: 1 / Double(d).squareRoot())
        let y = UnsafeMutablePointer<Float>.allocate(capacity: k)
        let step = rule == "gha" ? t.gha_step! : t.subspace_step!
        out.append(
          Workload(rule, isa.name, d: d, k: k, flops: 6 * k * d, buffers: [x, w, y]) {
            step(k, d, eta, x, w, d, y)
          })
      }
    }
    out.append(contentsOf: openBLAS(d: d, k: k))
    return out
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
    do {
      let x = sample(d, &rng), w = buffer(k * d, &rng, scale: 1 / Double(d).squareRoot())
      let y = UnsafeMutablePointer<Float>.allocate(capacity: k)
      let r = UnsafeMutablePointer<Float>.allocate(capacity: d)
      out.append(
        Workload("subspace", "openblas", d: d, k: k, flops: 6 * k * d, buffers: [x, w, y, r]) {
          cblas_sgemv(CblasRowMajor, CblasNoTrans, m, n, 1, w, n, x, 1, 0, y, 1)
          cblas_scopy(n, x, 1, r, 1)
          cblas_sgemv(CblasRowMajor, CblasTrans, m, n, -1, w, n, y, 1, 1, r, 1)
          cblas_sger(CblasRowMajor, m, n, eta, y, 1, r, 1, w, n)
        })
    }
    do {
      let x = sample(d, &rng), w = buffer(k * d, &rng, scale: 1 / Double(d).squareRoot())
      let y = UnsafeMutablePointer<Float>.allocate(capacity: k)
      let r = UnsafeMutablePointer<Float>.allocate(capacity: d)
      out.append(
        Workload("gha", "openblas", d: d, k: k, flops: 6 * k * d, buffers: [x, w, y, r]) {
          cblas_sgemv(CblasRowMajor, CblasNoTrans, m, n, 1, w, n, x, 1, 0, y, 1)
          cblas_scopy(n, x, 1, r, 1)
          for i in 0..<k {
            let wi = w + i * d
            cblas_saxpy(n, -y[i], wi, 1, r, 1)
            cblas_saxpy(n, eta * y[i], r, 1, wi, 1)
          }
        })
    }
    return out
  }

  /// The level-1 kernels (length d) and level-2 kernels (k × d) of every supported variant.
  public static func blas(d: Int, k: Int, includeVector: Bool = true) -> [Workload] {
    var out: [Workload] = []
    for isa in isas {
      guard let t = hb_blas_kernels_for(hb_isa(rawValue: UInt32(isa.rawValue)))?.pointee else {
        continue
      }
      var rng = SeededGenerator(seed: UInt64(d * 7 + k))
      let v = isa.name
      if includeVector {
        let a = buffer(d, &rng), b = buffer(d, &rng)
        let out1 = UnsafeMutablePointer<Float>.allocate(capacity: 1)
        let dot = t.dot!, axpy = t.axpy!, scal = t.scal!, nrm2 = t.nrm2!
        out.append(
          Workload("dot", v, d: d, k: 1, flops: 2 * d, buffers: [a, b, out1]) {
            out1[0] = dot(d, a, 1, b, 1)
          })
        let c = buffer(d, &rng), e = buffer(d, &rng)
        // Tiny α: y drifts by 1e-7 per call, nowhere near overflow in any run.
        out.append(
          Workload("axpy", v, d: d, k: 1, flops: 2 * d, buffers: [c, e]) {
            axpy(d, 1e-7, c, 1, e, 1)
          })
        let f = buffer(d, &rng)
        // 1 ± 2⁻²³ alternately keeps x within one ulp-scale wobble forever.
        var up = true
        out.append(
          Workload("scal", v, d: d, k: 1, flops: d, buffers: [f]) {
            scal(d, up ? 1 + 0x1p-23 : 1 - 0x1p-24, f, 1)
            up.toggle()
          })
        let g = buffer(d, &rng)
        let out2 = UnsafeMutablePointer<Float>.allocate(capacity: 1)
        out.append(
          Workload("nrm2", v, d: d, k: 1, flops: 2 * d, buffers: [g, out2]) {
            out2[0] = nrm2(d, g, 1)
          })
      }
      let gemv = t.gemv!, gemvT = t.gemv_t!, ger = t.ger!, rankK = t.rank_k!
      do {
        let a = buffer(k * d, &rng), x = buffer(d, &rng)
        let y = UnsafeMutablePointer<Float>.allocate(capacity: k)
        out.append(
          Workload("gemv", v, d: d, k: k, flops: 2 * k * d, buffers: [a, x, y]) {
            gemv(k, d, 1, a, d, x, 0, y)
          })
      }
      do {
        let a = buffer(k * d, &rng), x = buffer(k, &rng)
        let y = UnsafeMutablePointer<Float>.allocate(capacity: d)
        out.append(
          Workload("gemv_t", v, d: d, k: k, flops: 2 * k * d, buffers: [a, x, y]) {
            gemvT(k, d, 1, a, d, x, 0, y)
          })
      }
      do {
        let a = buffer(k * d, &rng), x = buffer(k, &rng), y = buffer(d, &rng)
        out.append(
          Workload("ger", v, d: d, k: k, flops: 2 * k * d, buffers: [a, x, y]) {
            ger(k, d, 1e-7, x, y, a, d)
          })
      }
      do {
        let a = buffer(k * d, &rng), xb = buffer(batch * k, &rng), yb = buffer(batch * d, &rng)
        out.append(
          Workload("rank_k", v, d: d, k: k, flops: 2 * batch * k * d, buffers: [a, xb, yb]) {
            rankK(k, d, batch, 1e-7, xb, k, yb, d, a, d)
          })
      }
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
  /// (a multiple of 8) that make W at least twice the last-level cache, plus a memcpy of W's
  /// size. The steps move 12kd bytes of W per call (read twice, written once), the copy
  /// 2 x its size (read + written): GB/s = bytes x calls/s.
  public static func roofline() -> [Workload] {
    let d = 16384
    let k = ((2 * lastLevelCacheBytes() + 4 * d - 1) / (4 * d) + 7) / 8 * 8
    var out: [Workload] = []
    guard let t = hb_rule_kernels_for(hb_isa(rawValue: UInt32(ISA.best.rawValue)))?.pointee else {
      return out
    }
    var rng = SeededGenerator(seed: 19)
    for rule in ["gha", "subspace"] {
      let x = sample(d, &rng), w = buffer(k * d, &rng, scale: 1 / Double(d).squareRoot())
      let y = UnsafeMutablePointer<Float>.allocate(capacity: k)
      let step = rule == "gha" ? t.gha_step! : t.subspace_step!
      out.append(
        Workload(rule, ISA.best.name, d: d, k: k, flops: 6 * k * d, buffers: [x, w, y]) {
          step(k, d, eta, x, w, d, y)
        })
    }
    let from = buffer(k * d, &rng), to = buffer(k * d, &rng)
    let bytes = 4 * k * d
    out.append(
      Workload("copy", "memcpy", d: d, k: k, flops: 0, buffers: [from, to]) {
        _ = memcpy(to, from, bytes)
      })
    return out
  }

  /// Every workload over the shape grid: vector kernels once per d, matrix kernels per (d, k).
  public static func all(ds: [Int], ks: [Int]) -> [Workload] {
    var out: [Workload] = []
    for d in ds {
      for (i, k) in ks.enumerated() {
        out += blas(d: d, k: k, includeVector: i == 0)
        out += rules(d: d, k: k, includeOja: i == 0)
      }
    }
    return out
  }
}
