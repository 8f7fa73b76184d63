import CHebbian
import COpenBLAS
import Hebbian

#if canImport(Glibc)
  import Glibc
#endif

/// One benchmarked call: a kernel variant on one shape, with buffers allocated once here so
/// that `run()` is exactly one kernel call (plus a closure call) and allocates nothing.
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
  private let body: () -> Void
  private let buffers: [UnsafeMutableRawPointer]

  public var name: String {
    kernel + " " + variant + " d=" + String(d) + (usesK ? " k=" + String(k) : "")
  }
  public var usesK: Bool { !Workloads.vectorKernels.contains(kernel) }

  init(
    _ kernel: String, _ variant: String, d: Int, k: Int, flops: Int,
    buffers: [UnsafeMutablePointer<Float>], raw: [UnsafeMutableRawPointer] = [],
    body: @escaping () -> Void
  ) {
    self.kernel = kernel
    self.variant = variant
    self.d = d
    self.k = k
    self.flops = flops
    self.buffers = buffers.map { UnsafeMutableRawPointer($0) } + raw
    self.body = body
  }

  deinit { for b in buffers { b.deallocate() } }

  @inline(__always) public func run() { body() }
}

public enum Workloads {
  /// The kernels of one length d (the others are k × d).
  public static let vectorKernels = ["dot", "axpy", "scal", "nrm2", "oja", "softmax"]
  /// Rows of the mini-batch of the rank-k accumulate.
  public static let batch = 8
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

  /// Kernels of the list that have no workload: the benchmark suite and the allocation check
  /// refuse to run while this is not empty.
  public static var uncovered: [String] {
    catalogue.map(\.kernel).filter { workload($0, .scalar, d: 16, k: 2) == nil }
  }

  /// The rows' rates of the subspace and GHA steps: all `eta`, the single-rate step.
  static func rowRates(_ k: Int) -> UnsafeMutablePointer<Float> {
    let p = UnsafeMutablePointer<Float>.allocate(capacity: max(k, 1))
    p.initialize(repeating: eta, count: max(k, 1))
    return p
  }

  static func buffer(_ n: Int, _ rng: inout SeededGenerator, scale: Double = 1)
    -> UnsafeMutablePointer<Float>
  {
    let p = UnsafeMutablePointer<Float>.allocate(capacity: max(n, 1))
    for i in 0..<n { p[i] = Float(rng.gaussian() * scale) }
    return p
  }

  /// `n` values uniform in [lo, hi).
  static func uniform(_ n: Int, _ rng: inout SeededGenerator, _ lo: Float, _ hi: Float)
    -> UnsafeMutablePointer<Float>
  {
    let p = UnsafeMutablePointer<Float>.allocate(capacity: max(n, 1))
    for i in 0..<n { p[i] = lo + (hi - lo) * Float(rng.uniform()) }
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

  static func table<T>(_ lookup: (hb_isa) -> UnsafePointer<T>?, _ isa: ISA) -> T? {
    lookup(hb_isa(rawValue: UInt32(isa.rawValue)))?.pointee
  }

  /// One call of `kernel` (a ``catalogue`` name) under `isa` on a k × d shape (length d for the
  /// ``vectorKernels``), or nil when the kernel has no workload here or the variant no table.
  /// Every workload's state stays bounded over any number of calls.
  public static func workload(_ kernel: String, _ isa: ISA, d: Int, k: Int) -> Workload? {
    var rng = SeededGenerator(seed: UInt64(d * 131 + k))
    let v = isa.name
    switch kernel {
    case "dot", "axpy", "scal", "nrm2", "gemv", "gemv_t", "ger", "rank_k":
      guard let t = table(hb_blas_kernels_for, isa) else { return nil }
      return blas(kernel, t, v, d: d, k: k, &rng)
    case "oja", "subspace", "gha":
      guard let t = table(hb_rule_kernels_for, isa) else { return nil }
      return rule(kernel, t, v, d: d, k: k, &rng)
    case "bit_overlap":
      guard let t = table(hb_memory_kernels_for, isa) else { return nil }
      // k stored patterns of d ±1 bits against one state: popcount of the XOR per pattern.
      let words = (d + 63) / 64
      let xi = UnsafeMutablePointer<UInt64>.allocate(capacity: k * words)
      let st = UnsafeMutablePointer<UInt64>.allocate(capacity: words)
      for i in 0..<(k * words) { xi[i] = rng.next() }
      for i in 0..<words { st[i] = rng.next() }
      let m = UnsafeMutablePointer<Float>.allocate(capacity: k)
      let f = t.bit_overlap!
      // Counted as the float overlap it stands for: one multiply-add per bit.
      return Workload(
        kernel, v, d: d, k: k, flops: 2 * k * d, buffers: [m],
        raw: [UnsafeMutableRawPointer(xi), UnsafeMutableRawPointer(st)]
      ) { f(k, d, xi, words, st, m) }
    case "softmax":
      guard let t = table(hb_memory_kernels_for, isa) else { return nil }
      let x = buffer(d, &rng, scale: 4), y = UnsafeMutablePointer<Float>.allocate(capacity: d)
      let out1 = UnsafeMutablePointer<Float>.allocate(capacity: 1)
      let f = t.softmax!
      // exp (about 10 flops in the polynomial), the sum and the scale.
      return Workload(kernel, v, d: d, k: 1, flops: 13 * d, buffers: [x, y, out1]) {
        out1[0] = f(d, 2, x, y)
      }
    case "plastic_current", "hebb_trace", "plastic_backward":
      guard let t = table(hb_plastic_kernels_for, isa) else { return nil }
      return plastic(kernel, t, v, d: d, k: k, &rng)
    case "hebb_decay", "instar", "bcm", "stdp_trace":
      guard let t = table(hb_plasticity_kernels_for, isa) else { return nil }
      return plasticity(kernel, t, v, d: d, k: k, &rng)
    default:
      return nil
    }
  }

  /// Every kernel of the list under every supported variant on one shape, the vector kernels
  /// only when `includeVector`.
  public static func kernels(d: Int, k: Int, includeVector: Bool = true, family: String? = nil)
    -> [Workload]
  {
    var out: [Workload] = []
    for isa in isas {
      for c in catalogue where family == nil || c.family == family {
        if !includeVector && vectorKernels.contains(c.kernel) { continue }
        if let w = workload(c.kernel, isa, d: d, k: k) { out.append(w) }
      }
    }
    return out
  }

  /// The rule steps (subspace, gha, and oja when `includeOja`) of every supported variant,
  /// plus the OpenBLAS compositions of subspace and gha.
  public static func rules(d: Int, k: Int, includeOja: Bool = true) -> [Workload] {
    kernels(d: d, k: k, includeVector: includeOja, family: "rule") + openBLAS(d: d, k: k)
  }

  static func rule(
    _ kernel: String, _ t: hb_rule_kernels, _ v: String, d: Int, k: Int,
    _ rng: inout SeededGenerator
  ) -> Workload {
    if kernel == "oja" {
      let x = sample(d, &rng), w = buffer(d, &rng, scale: 1 / Double(d).squareRoot())
      let y = UnsafeMutablePointer<Float>.allocate(capacity: 1)
      let step = t.oja_step!
      return Workload("oja", v, d: d, k: 1, flops: 6 * d, buffers: [x, w, y]) {
        y[0] = step(d, eta, x, w)
      }
    }
    let x = sample(d, &rng), w = buffer(k * d, &rng, scale: 1 / Double(d).squareRoot())
    let y = UnsafeMutablePointer<Float>.allocate(capacity: k)
    let rates = rowRates(k)
    let step = kernel == "gha" ? t.gha_step! : t.subspace_step!
    return Workload(kernel, v, d: d, k: k, flops: 6 * k * d, buffers: [x, w, y, rates]) {
      step(k, d, rates, x, w, d, y)
    }
  }

  /// The plastic layer, k presynaptic × d postsynaptic units, tanh-range activity, small α.
  static func plastic(
    _ kernel: String, _ t: hb_plastic_kernels, _ v: String, d: Int, k: Int,
    _ rng: inout SeededGenerator
  ) -> Workload {
    let w = buffer(k * d, &rng, scale: 0.1), al = buffer(k * d, &rng, scale: 0.01)
    let h = uniform(k * d, &rng, -0.5, 0.5)
    let x = uniform(k, &rng, -0.9, 0.9), y = uniform(d, &rng, -0.9, 0.9)
    switch kernel {
    case "plastic_current":
      // a grows by at most k·0.1 per call: no overflow in any run.
      let a = UnsafeMutablePointer<Float>.allocate(capacity: d)
      a.initialize(repeating: 0, count: d)
      let f = t.plastic_current!
      return Workload(kernel, v, d: d, k: k, flops: 4 * k * d, buffers: [w, al, h, x, y, a]) {
        f(k, d, w, al, h, d, x, a)
      }
    case "hebb_trace":
      // The decay trace is an exponential average of x yᵀ: bounded.
      let f = t.hebb_trace_step!
      return Workload(kernel, v, d: d, k: k, flops: 3 * k * d, buffers: [w, al, h, x, y]) {
        f(HB_TRACE_DECAY, k, d, 0.1, x, y, h, d)
      }
    default:
      // With η = 0 the trace gradient keeps its scale (no (1 − η)ⁿ decay into subnormals,
      // which would time microcode assists) and grows by |α x dL/da| ≤ 0.01 per call; dL/da
      // is restored from gy0 each call (d floats, beside the kernel's k·d) because the kernel
      // overwrites it with (1 − y²)·dL/dy.
      let gy0 = uniform(d, &rng, -1, 1), gy = UnsafeMutablePointer<Float>.allocate(capacity: d)
      let gH = uniform(k * d, &rng, -1, 1)
      let gx = uniform(k, &rng, -1, 1), gw = uniform(k * d, &rng, -1, 1)
      let ga = uniform(k * d, &rng, -1, 1)
      let out1 = UnsafeMutablePointer<Float>.allocate(capacity: 1)
      let f = t.plastic_backward_step!
      // About 20 flops per element: pass 1 (2) and the fused pass 2 (18).
      return Workload(
        kernel, v, d: d, k: k, flops: 20 * k * d,
        buffers: [w, al, h, x, y, gy0, gy, gH, gx, gw, ga, out1]
      ) {
        gy.update(from: gy0, count: d)
        out1[0] = f(HB_TRACE_DECAY, k, d, 0, w, al, h, d, x, y, gy, gH, gx, gw, ga)
      }
    }
  }

  /// The local plasticity rules on k × d weights; every rule keeps W bounded or moves it by
  /// at most η·|x y| ≈ 1e-7 per call.
  static func plasticity(
    _ kernel: String, _ t: hb_plasticity_kernels, _ v: String, d: Int, k: Int,
    _ rng: inout SeededGenerator
  ) -> Workload {
    let w = uniform(k * d, &rng, 0, 1), x = uniform(d, &rng, 0, 1), y = uniform(k, &rng, 0, 1)
    switch kernel {
    case "hebb_decay":
      let f = t.hebb_decay_step!
      return Workload(kernel, v, d: d, k: k, flops: 3 * k * d, buffers: [w, x, y]) {
        f(k, d, 1e-3, 1e-2, x, y, w, d)
      }
    case "instar":
      let f = t.instar_step!
      return Workload(kernel, v, d: d, k: k, flops: 3 * k * d, buffers: [w, x, y]) {
        f(k, d, 1e-3, x, y, w, d)
      }
    case "bcm":
      let theta = uniform(k, &rng, 0, 1)
      let f = t.bcm_step!
      return Workload(kernel, v, d: d, k: k, flops: 2 * k * d, buffers: [w, x, y, theta]) {
        f(k, d, 1e-7, x, y, theta, w, d)
      }
    default:
      // Fixed spike patterns. No trace decay (τ = ∞): a silent neuron's trace would otherwise
      // shrink geometrically into subnormals and time microcode assists; spiking ones grow by
      // 1 per call. Hard bounds for the same reason (soft ones creep toward w_min).
      let pre = uniform(d, &rng, 0, 1), post = uniform(k, &rng, 0, 1)
      for j in 0..<d { pre[j] = pre[j] < 0.3 ? 1 : 0 }
      for i in 0..<k { post[i] = post[i] < 0.5 ? 1 : 0 }
      let params = UnsafeMutablePointer<hb_stdp_params>.allocate(capacity: 1)
      params.initialize(
        to: hb_stdp_params(
          decay_pre: 1, decay_post: 1, a_pre: -0.0105, c_pre: 0, a_post: 0.01, c_post: 0,
          w_min: 0, w_max: 1, bounds: HB_STDP_HARD, pairing: HB_STDP_ALL_TO_ALL))
      let f = t.stdp_trace_step!
      // Per weight: the potentiation and depression terms (4) and the soft bound (2).
      return Workload(
        kernel, v, d: d, k: k, flops: 6 * k * d, buffers: [w, x, y, pre, post],
        raw: [UnsafeMutableRawPointer(params)]
      ) { f(k, d, params, pre, x, post, y, w, d) }
    }
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

  /// The level-1 kernels (length d) and level-2 kernels (k × d).
  static func blas(
    _ kernel: String, _ t: hb_blas_kernels, _ v: String, d: Int, k: Int,
    _ rng: inout SeededGenerator
  ) -> Workload {
    switch kernel {
    case "dot":
      let a = buffer(d, &rng), b = buffer(d, &rng)
      let out1 = UnsafeMutablePointer<Float>.allocate(capacity: 1)
      let dot = t.dot!
      return Workload("dot", v, d: d, k: 1, flops: 2 * d, buffers: [a, b, out1]) {
        out1[0] = dot(d, a, 1, b, 1)
      }
    case "axpy":
      let c = buffer(d, &rng), e = buffer(d, &rng)
      let axpy = t.axpy!
      // Tiny α: y drifts by 1e-7 per call, nowhere near overflow in any run.
      return Workload("axpy", v, d: d, k: 1, flops: 2 * d, buffers: [c, e]) {
        axpy(d, 1e-7, c, 1, e, 1)
      }
    case "scal":
      let f = buffer(d, &rng)
      let scal = t.scal!
      // 1 ± 2⁻²³ alternately keeps x within one ulp-scale wobble forever.
      var up = true
      return Workload("scal", v, d: d, k: 1, flops: d, buffers: [f]) {
        scal(d, up ? 1 + 0x1p-23 : 1 - 0x1p-24, f, 1)
        up.toggle()
      }
    case "nrm2":
      let g = buffer(d, &rng)
      let out2 = UnsafeMutablePointer<Float>.allocate(capacity: 1)
      let nrm2 = t.nrm2!
      return Workload("nrm2", v, d: d, k: 1, flops: 2 * d, buffers: [g, out2]) {
        out2[0] = nrm2(d, g, 1)
      }
    case "gemv":
      let a = buffer(k * d, &rng), x = buffer(d, &rng)
      let y = UnsafeMutablePointer<Float>.allocate(capacity: k)
      let gemv = t.gemv!
      return Workload("gemv", v, d: d, k: k, flops: 2 * k * d, buffers: [a, x, y]) {
        gemv(k, d, 1, a, d, x, 0, y)
      }
    case "gemv_t":
      let a = buffer(k * d, &rng), x = buffer(k, &rng)
      let y = UnsafeMutablePointer<Float>.allocate(capacity: d)
      let gemvT = t.gemv_t!
      return Workload("gemv_t", v, d: d, k: k, flops: 2 * k * d, buffers: [a, x, y]) {
        gemvT(k, d, 1, a, d, x, 0, y)
      }
    case "ger":
      let a = buffer(k * d, &rng), x = buffer(k, &rng), y = buffer(d, &rng)
      let ger = t.ger!
      return Workload("ger", v, d: d, k: k, flops: 2 * k * d, buffers: [a, x, y]) {
        ger(k, d, 1e-7, x, y, a, d)
      }
    default:
      let a = buffer(k * d, &rng), xb = buffer(batch * k, &rng), yb = buffer(batch * d, &rng)
      let rankK = t.rank_k!
      return Workload("rank_k", v, d: d, k: k, flops: 2 * batch * k * d, buffers: [a, xb, yb]) {
        rankK(k, d, batch, 1e-7, xb, k, yb, d, a, d)
      }
    }
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
      let rates = rowRates(k)
      let step = rule == "gha" ? t.gha_step! : t.subspace_step!
      out.append(
        Workload(rule, ISA.best.name, d: d, k: k, flops: 6 * k * d, buffers: [x, w, y, rates]) {
          step(k, d, rates, x, w, d, y)
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
