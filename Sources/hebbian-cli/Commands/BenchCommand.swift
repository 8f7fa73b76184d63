import CHebbianSys
import Hebbian

/// `hebbian bench`: times the fused rule steps of every supported instruction set on one core
/// and states the speed three ways: ns per update, GFLOP/s (with the flop count used) and the
/// fraction of the core's FP32 FMA peak. With `--roofline` the shape is sized from the
/// last-level cache so that W streams from DRAM, and W's traffic in GB/s is compared with a
/// memcpy of the same size timed in the same run, round-robin with the kernel.
enum BenchCommand {
  static let command = Command(
    name: "bench",
    summary: "Time the fused rule steps per instruction set: ns/update, GFLOP/s, % of FMA peak.",
    options: BenchOptions.table,
    run: { (o: ParsedOptions) throws(CLIError) in try run(o) }
  )

  enum Rule: CaseIterable {
    case oja, subspace, gha

    var name: String {
      switch self {
      case .oja: return "oja"
      case .subspace: return "subspace"
      case .gha: return "gha"
      }
    }

    /// Flops of one update, counting an FMA as two: the dot products y = W x (2kd), then
    /// for oja the update w += ηy(x − yw) (4d), for subspace the residual x − Wᵀy (2kd) and
    /// W += ηy rᵀ (2kd), for gha the cumulative residual and update sweep (4kd).
    func flops(d: Int, k: Int) -> Int { self == .oja ? 6 * d : 6 * k * d }

    var formula: String {
      switch self {
      case .oja: return "6d (2d y = w.x, 4d update)"
      case .subspace: return "6kd (2kd y = Wx, 2kd residual x - W^T y, 2kd update)"
      case .gha: return "6kd (2kd y = Wx, 4kd cumulative residual + update sweep)"
      }
    }
  }

  static let ruleNames = Rule.allCases.map { $0.name }

  static let repetitions = 5
  static let eta: Float = 1e-3
  /// Samples cycled through: enough that W does not collapse onto one direction.
  static let pool = 64

  static func run(_ o: ParsedOptions) throws(CLIError) {
    if o.has(BenchOptions.monitor) { return try benchMonitor(o) }
    let options = try BenchOptions(o)
    let (d, k, seconds) = (options.d, options.k, options.seconds)
    // The probe runs before and after the timed kernels and the best counts: a peak is what
    // the core does when nothing interferes, and a clock still ramping up at start-up or a
    // neighbour's burst during one probe must not lower it.
    let probe = ISA.best
    let calibration = min(0.05, seconds)
    var peak = options.peak ?? calibratePeak(probe, seconds: calibration)

    // One W and sample pool for every variant, so each starts from the same state.
    let w0 = alignedFloats(k * d)
    let xs = alignedFloats(pool * d)
    defer {
      UnsafeMutableRawPointer(w0).deallocate()
      UnsafeMutableRawPointer(xs).deallocate()
    }
    fillPool(w0: w0, xs: xs, d: d, k: k)
    let timings = try time(options, w0: w0, xs: xs)
    let peakSource: String
    if options.peak != nil {
      peakSource = "given by --peak-gflops"
    } else {
      peak = max(peak, calibratePeak(probe, seconds: calibration))
      peakSource = "measured: \(probe.name) FMA loop, 12 chains, best of 10"
    }
    printTable(options, timings.results, peak: peak, peakSource: peakSource)
    if options.roofline {
      printRoofline(
        timings.best, referenceNs: timings.referenceNs, bytes: k * d * 4, d: d, k: k,
        llc: options.llc)
    }
    if options.block > 0 {
      for rule in options.rules {
        let kernel = timings.results.first { $0.rule == rule && $0.isa == ISA.active }
        try benchBlockDriver(
          rule, d: d, k: k, block: options.block, xs: xs, seconds: seconds,
          kernelNs: kernel?.cLoopNs, chainNs: kernel?.chainNs)
      }
    }
  }

  /// A random W (rows of norm about 1) and a pool of unit-norm samples: η|x|² ≪ 1 keeps the
  /// rules stable for any run length.
  static func fillPool(
    w0: UnsafeMutablePointer<Float>, xs: UnsafeMutablePointer<Float>, d: Int, k: Int
  ) {
    var rng = SeededGenerator(seed: 2024)
    let scale = 1 / Double(d).squareRoot()
    for i in 0..<(k * d) { w0[i] = Float(rng.gaussian() * scale) }
    for s in 0..<pool {
      var n2 = 0.0
      for j in 0..<d {
        let v = rng.gaussian()
        xs[s * d + j] = Float(v)
        n2 += v * v
      }
      let inv = Float(1 / n2.squareRoot())
      for j in 0..<d { xs[s * d + j] *= inv }
    }
  }

  /// One rule on one variant: ns per update through the Swift loop of `Runner` (each call
  /// as a caller makes it), through the C loop around the kernel (its own cost) and, for gha
  /// on AVX2 at d ≤ 8, k ≤ 4, of the step's dependency chain (`ghaChainLoop`: W in registers,
  /// the bound of the kernel), nil elsewhere.
  typealias Timing = (rule: Rule, isa: ISA, ns: Double, cLoopNs: Double, chainNs: Double?)

  /// Times every rule on every variant. Per rule, the repetitions go round-robin over the
  /// variants, each on its own copy of W, so a burst of load from the rest of the machine
  /// hits every variant alike and the ratios stay meaningful. With --roofline the reference
  /// passes over W's bytes are timed in the same round-robin. Returns the median and best per
  /// variant and the reference passes' times (one list per pass).
  static func time(
    _ options: BenchOptions, w0: UnsafeMutablePointer<Float>, xs: UnsafeMutablePointer<Float>
  ) throws(CLIError) -> (results: [Timing], best: [Timing], referenceNs: [[Double]]) {
    let (d, k, seconds, isas) = (options.d, options.k, options.seconds, options.isas)
    let wCount = k * d
    let y = alignedFloats(k)
    let rates = alignedFloats(k)
    rates.initialize(repeating: eta, count: k)
    // Each variant's W starts on its own 64-byte boundary, as a learner's does.
    let wStride = (wCount + 15) / 16 * 16
    let ws = alignedFloats(wStride * isas.count)
    let copyBytes = options.roofline ? wCount * 4 : 0
    let copyTo = UnsafeMutableRawPointer.allocate(byteCount: max(copyBytes, 1), alignment: 64)
    defer {
      for p in [y, rates, ws] { UnsafeMutableRawPointer(p).deallocate() }
      copyTo.deallocate()
    }
    var results: [Timing] = []
    var best: [Timing] = []
    var referenceNs = [[Double]](repeating: [], count: ReferencePass.allCases.count)
    for rule in options.rules {
      var runners: [Runner] = []
      for (v, isa) in isas.enumerated() {
        guard let table = RuleStepKernels(isa: isa) else {
          throw .data("no rule kernels for \(isa.name)")
        }
        let w = ws + v * wStride
        w.update(from: w0, count: wCount)
        var runner = Runner(rule: rule, t: table, d: d, k: k, w: w, xs: xs, y: y, rates: rates)
        runner.warmUp(seconds: min(0.02, seconds / 10))
        runners.append(runner)
      }
      var samples = [[Double]](repeating: [], count: runners.count)
      var cLoop = [[Double]](repeating: [], count: runners.count)
      var chain = [[Double]](repeating: [], count: runners.count)
      let budget = UInt64(seconds / Double(repetitions) * 1e9)
      let copyFloats = copyBytes / 4
      let target = copyTo.bindMemory(to: Float.self, capacity: max(copyFloats, 1))
      if options.roofline { hb_sys_copy_pass(target, w0, copyFloats, 0) }
      for _ in 0..<repetitions {
        for v in runners.indices {
          samples[v].append(runners[v].slice(budget))
          cLoop[v].append(runners[v].slice(budget, cLoop: true))
          if let ns = runners[v].chainSlice(budget) { chain[v].append(ns) }
        }
        guard options.roofline else { continue }
        for (i, pass) in ReferencePass.allCases.enumerated() {
          referenceNs[i].append(pass.slice(target, w0, copyFloats, row: d, budget))
        }
      }
      for (v, isa) in isas.enumerated() {
        let chainNs = chain[v].isEmpty ? nil : median(chain[v])
        results.append((rule, isa, median(samples[v]), median(cLoop[v]), chainNs))
        best.append((rule, isa, samples[v].min()!, cLoop[v].min()!, chain[v].min()))
      }
    }
    return (results, best, referenceNs)
  }

  /// The shape, the peak, the flop counts and a row per rule and variant.
  static func printTable(
    _ options: BenchOptions, _ results: [Timing], peak: Double, peakSource: String
  ) {
    let (d, k, seconds) = (options.d, options.k, options.seconds)
    let wKiB = Double(k * d * 4) / 1024
    Console.outLine(
      "bench: d=\(d) k=\(k) (W \(Fmt.fixed(wKiB, 1)) KiB, ldw=d), eta=\(Fmt.sci(Double(eta), 0)), "
        + "median of \(repetitions) x \(Fmt.fixed(seconds / Double(repetitions), 3)) s per variant, round-robin"
    )
    Console.outLine("peak: \(Fmt.fixed(peak, 1)) GFLOP/s FP32 FMA, one core (\(peakSource))")
    for rule in options.rules { Console.outLine("flop/update \(rule.name): \(rule.formula)") }
    Console.outLine(
      Fmt.padRight("rule", 10) + Fmt.padRight("isa", 8) + Fmt.pad("ns/update", 12)
        + Fmt.pad("GFLOP/s", 10) + Fmt.pad("% peak", 9) + Fmt.pad("vs scalar", 11)
        + Fmt.pad("C loop ns", 11) + Fmt.pad("chain ns", 10) + Fmt.pad("C/chain", 9))
    for r in results {
      let scalar = results.first { $0.rule == r.rule && $0.isa == .scalar }
      let gflops = Double(r.rule.flops(d: d, k: k)) / r.ns
      var line =
        Fmt.padRight(r.rule.name, 10) + Fmt.padRight(r.isa.name, 8)
        + Fmt.pad(Fmt.fixed(r.ns, 1), 12) + Fmt.pad(Fmt.fixed(gflops, 2), 10)
        + Fmt.pad(Fmt.fixed(100 * gflops / peak, 1), 9)
      line += Fmt.pad(scalar.map { Fmt.fixed($0.ns / r.ns, 2) + "x" } ?? "", 11)
      line += Fmt.pad(Fmt.fixed(r.cLoopNs, 1), 11)
      if let chain = r.chainNs {
        line += Fmt.pad(Fmt.fixed(chain, 1), 10) + Fmt.pad(Fmt.fixed(r.cLoopNs / chain, 2) + "x", 9)
      }
      Console.outLine(line)
    }
  }

  /// OnlinePCA's block update (`update(block:)` without its checks and guard: the C driver
  /// with centring, power and rate arithmetic and the rule's step on the active variant),
  /// `block` samples per call over the same sample pool. Its ns/sample against the kernel's
  /// ns/update is the per-sample cost of everything around the step.
  static func benchBlockDriver(
    _ rule: Rule, d: Int, k kAll: Int, block: Int, xs: UnsafePointer<Float>, seconds: Double,
    kernelNs: Double?, chainNs: Double?
  ) throws(CLIError) {
    let k = rule == .oja ? 1 : kAll
    let pcaRule: OnlinePCA.Rule = rule == .oja ? .oja : (rule == .subspace ? .subspace : .gha)
    var pca = try usageErrors { () throws(HebbianError) in
      try OnlinePCA(dimension: d, components: k, rule: pcaRule, centering: true)
    }
    // Blocks cycle through the pool; a block longer than the pool repeats it.
    var samples = 0
    func run(_ calls: Int) {
      for _ in 0..<calls {
        var left = block
        while left > 0 {
          let start = samples % pool
          let n = min(left, pool - start)
          pca.unsafeUpdate(block: xs + start * d, count: n)
          samples += n
          left -= n
        }
      }
    }
    let t0 = hb_sys_monotonic_ns()
    var calls = 0
    repeat {
      run(1)
      calls += 1
    } while hb_sys_monotonic_ns() - t0 < UInt64(min(0.02, seconds / 10) * 1e9)
    let perCall = Double(hb_sys_monotonic_ns() - t0) / Double(calls)
    let batch = max(1, Int(50_000 / max(perCall, 1)))
    let budget = UInt64(seconds / Double(repetitions) * 1e9)
    var ns: [Double] = []
    for _ in 0..<repetitions {
      let start = samples
      let t1 = hb_sys_monotonic_ns()
      repeat { run(batch) } while hb_sys_monotonic_ns() - t1 < budget
      ns.append(Double(hb_sys_monotonic_ns() - t1) / Double(samples - start))
    }
    let m = median(ns)
    var line =
      "block \(rule.name): \(Fmt.fixed(m, 1)) ns/sample, OnlinePCA block update on "
      + "\(ISA.active.name), \(block) samples per call, centring, the rule's default schedule"
    if let kernelNs { line += " (\(Fmt.fixed(m / kernelNs, 2))x the kernel's ns/update in a C loop" }
    if let chainNs { line += ", \(Fmt.fixed(m / chainNs, 2))x its chain" }
    if kernelNs != nil { line += ")" }
    Console.outLine(line)
  }

  /// `n` floats on the 64-byte boundary the library's own buffers start on (OwnedBuffer), so
  /// the kernels are timed on the storage a learner gives them.
  static func alignedFloats(_ n: Int) -> UnsafeMutablePointer<Float> {
    let count = max(n, 1)
    return UnsafeMutableRawPointer.allocate(
      byteCount: count * MemoryLayout<Float>.stride, alignment: OwnedBuffer<Float>.alignment
    ).bindMemory(to: Float.self, capacity: count)
  }

  static func lastLevelCache() -> (level: Int, bytes: Int) {
    for level in [3, 2, 1] {
      let bytes = Int(hb_sys_cache_bytes(Int32(level)))
      if bytes > 0 { return (level, bytes) }
    }
    return (0, 32 << 20)
  }

  /// The passes over W's bytes that bound a rule step streaming W from memory. glibc's
  /// memcpy is not one of them: on large copies it can run at a third of a plain vector loop.
  /// Each counts the bytes it reads and writes. The reference is the best of the two copies
  /// and of a read pass then an in-place pass (the traffic of a step that reads W, then
  /// updates it), that pair from the best time of each over one stream, four quarters of the
  /// buffer or four of W's rows at a time (the rules' own sweep), so a rule over 100 % of it
  /// means the reference missed a faster way to move the bytes.
  enum ReferencePass: CaseIterable {
    case copy, streamingCopy, read, readStreams, readRows, update, updateStreams, updateRows

    var name: String {
      switch self {
      case .copy: "copy loop"
      case .streamingCopy: "copy loop, non-temporal stores"
      case .read: "read pass"
      case .readStreams: "read pass, 4 streams"
      case .readRows: "read pass, 4 rows at a time"
      case .update: "in-place pass"
      case .updateStreams: "in-place pass, 4 streams"
      case .updateRows: "in-place pass, 4 rows at a time"
      }
    }

    /// Bytes moved per pass over `bytes` (a copy and the in-place pass read and write them
    /// once, the read pass reads them).
    func traffic(_ bytes: Int) -> Int {
      self == .read || self == .readStreams || self == .readRows ? bytes : 2 * bytes
    }

    /// ns per pass over `n` floats in one repetition of `budget` ns (at least one pass); the
    /// row passes walk rows of `row` floats, W's rows.
    func slice(
      _ buffer: UnsafeMutablePointer<Float>, _ source: UnsafePointer<Float>, _ n: Int,
      row: Int, _ budget: UInt64
    ) -> Double {
      var count = 0
      let t0 = hb_sys_monotonic_ns()
      var elapsed: UInt64 = 0
      var sink: Float = 0
      repeat {
        switch self {
        case .copy: hb_sys_copy_pass(buffer, source, n, 0)
        case .streamingCopy: hb_sys_copy_pass(buffer, source, n, 1)
        case .read: sink += hb_sys_read_pass(buffer, n, 1, 0)
        case .readStreams: sink += hb_sys_read_pass(buffer, n, 4, 0)
        case .readRows: sink += hb_sys_read_pass(buffer, n, 4, row)
        case .update: hb_sys_update_pass(buffer, n, 1, 1, 0)
        case .updateStreams: hb_sys_update_pass(buffer, n, 1, 4, 0)
        case .updateRows: hb_sys_update_pass(buffer, n, 1, 4, row)
        }
        count += 1
        elapsed = hb_sys_monotonic_ns() - t0
      } while elapsed < budget
      // The sum is never printed; reading it keeps the read pass from being dropped.
      if sink.isNaN { Console.errLine("bench: the reference buffer holds a NaN") }
      return Double(elapsed) / Double(count)
    }
  }

  /// W's traffic per update against the reference. The fused subspace and gha steps read W
  /// twice and write it once (12kd bytes; x and y add 8d + 8k, not counted). Every figure is
  /// the best repetition: on a shared machine the best is the one least disturbed by the rest
  /// of the load.
  static func printRoofline(
    _ best: [Timing], referenceNs: [[Double]], bytes: Int, d: Int,
    k: Int, llc: (level: Int, bytes: Int)
  ) {
    let mib = 1024.0 * 1024
    let cache =
      llc.level > 0
      ? "L\(llc.level) \(Fmt.fixed(Double(llc.bytes) / mib, 1)) MiB"
      : "not reported, 32 MiB assumed"
    Console.outLine(
      "roofline: W \(Fmt.fixed(Double(4 * k * d) / mib, 1)) MiB = "
        + "\(Fmt.fixed(Double(4 * k * d) / Double(llc.bytes), 2))x the last-level cache (\(cache));"
        + " W traffic 12kd bytes/update (read twice, written once); best of \(repetitions)")
    var reference = 0.0
    func line(_ name: String, _ ns: Double, _ traffic: Int) {
      let gbs = Double(traffic) / ns
      Console.outLine(
        "reference: \(name) over \(Fmt.fixed(Double(bytes) / mib, 1)) MiB, "
          + "\(Fmt.fixed(ns / 1e6, 2)) ms: \(Fmt.fixed(gbs, 2)) GB/s (bytes read + written)")
    }
    var ns: [ReferencePass: Double] = [:]
    for (i, pass) in ReferencePass.allCases.enumerated() {
      ns[pass] = referenceNs[i].min()!
      line(pass.name, ns[pass]!, pass.traffic(bytes))
      if pass == .copy || pass == .streamingCopy {
        reference = max(reference, Double(pass.traffic(bytes)) / ns[pass]!)
      }
    }
    func fastest(_ passes: [ReferencePass]) -> Double { passes.map { ns[$0]! }.min()! }
    let pair =
      fastest([.read, .readStreams, .readRows]) + fastest([.update, .updateStreams, .updateRows])
    line("read pass + in-place pass (the best of each)", pair, 3 * bytes)
    reference = max(reference, Double(3 * bytes) / pair)
    for r in best where r.rule != .oja {
      let gbs = Double(12 * k * d) / r.ns
      Console.outLine(
        "roofline \(r.rule.name) \(r.isa.name): \(Fmt.fixed(r.ns / 1e6, 2)) ms/update, "
          + "\(Fmt.fixed(gbs, 2)) GB/s vs the reference's \(Fmt.fixed(reference, 2)) GB/s: "
          + "\(Fmt.fixed(100 * gbs / reference, 0)) % of the reference")
    }
  }

  /// One rule on one variant with its own W: updates run in batches sized by the warm-up so
  /// the clock is read about every 50 µs, not per update.
  struct Runner {
    var rule: Rule
    var t: RuleStepKernels
    var d: Int, k: Int
    var w: UnsafeMutablePointer<Float>
    var xs: UnsafeMutablePointer<Float>
    var y: UnsafeMutablePointer<Float>
    /// The rows' rates: all `eta`, the textbook single-rate step.
    var rates: UnsafePointer<Float>
    var sample = 0
    var batch = 1

    mutating func steps(_ n: Int) {
      switch rule {
      case .oja:
        for _ in 0..<n {
          y[0] = t.ojaStep(dimension: d, eta: eta, xs + sample * d, w)
          sample = sample + 1 == pool ? 0 : sample + 1
        }
      case .subspace:
        for _ in 0..<n {
          t.subspaceStep(components: k, dimension: d, eta: rates, xs + sample * d, w, ldw: d, y)
          sample = sample + 1 == pool ? 0 : sample + 1
        }
      case .gha:
        for _ in 0..<n {
          t.ghaStep(components: k, dimension: d, eta: rates, xs + sample * d, w, ldw: d, y)
          sample = sample + 1 == pool ? 0 : sample + 1
        }
      }
    }

    /// Caches and clocks settle; the measured rate sizes the batch.
    mutating func warmUp(seconds: Double) {
      var n = 0
      let t0 = hb_sys_monotonic_ns()
      repeat {
        steps(1)
        n += 1
      } while hb_sys_monotonic_ns() - t0 < UInt64(seconds * 1e9)
      let nsPerStep = Double(hb_sys_monotonic_ns() - t0) / Double(n)
      batch = max(1, Int(50_000 / max(nsPerStep, 1)))
    }

    /// The same updates in the C loop of `hb_rule_step_loop_f32`: the kernel's own cost.
    mutating func cSteps(_ n: Int) {
      let code = rule == .oja ? 0 : (rule == .subspace ? 1 : 2)
      t.stepLoop(
        rule: code, steps: n, components: k, dimension: d, eta: rates, pool: xs,
        poolSize: pool, cursor: &sample, w, y)
    }

    /// ns per update of the GHA step's dependency chain over one repetition of `budget` ns, on
    /// this runner's W; nil when the rule or the shape has no chain instrument.
    mutating func chainSlice(_ budget: UInt64) -> Double? {
      guard rule == .gha, t.isa == .avx2 else { return nil }
      var count = 0
      let t0 = hb_sys_monotonic_ns()
      var elapsed: UInt64 = 0
      repeat {
        let done = ghaChainLoop(
          steps: batch, components: k, dimension: d, eta: eta, pool: xs, poolSize: pool,
          cursor: &sample, w)
        if done == 0 { return nil }
        count += done
        elapsed = hb_sys_monotonic_ns() - t0
      } while elapsed < budget
      return Double(elapsed) / Double(count)
    }

    /// ns per update over one repetition of `budget` ns, through the Swift loop or the C one.
    mutating func slice(_ budget: UInt64, cLoop: Bool = false) -> Double {
      var count = 0
      let t0 = hb_sys_monotonic_ns()
      var elapsed: UInt64 = 0
      repeat {
        if cLoop { cSteps(batch) } else { steps(batch) }
        count += batch
        elapsed = hb_sys_monotonic_ns() - t0
      } while elapsed < budget
      return Double(elapsed) / Double(count)
    }
  }

  /// GFLOP/s of the FMA probe: the best of five runs of about seconds/5 each (the best, not
  /// the median: a peak is what the core can do when nothing else interferes).
  static func calibratePeak(_ isa: ISA, seconds: Double) -> Double {
    var sink: Float = 0
    var iterations: UInt64 = 1000
    let target = UInt64(seconds / 5 * 1e9)
    var best = 0.0
    var runs = 0
    while runs < 5 {
      let t0 = hb_sys_monotonic_ns()
      let flops = isa.fmaBurn(iterations: iterations, sink: &sink)
      let dt = hb_sys_monotonic_ns() - t0
      if dt < target / 2 && iterations < (1 << 40) {
        iterations *= 2
        continue
      }
      best = max(best, Double(flops) / Double(max(dt, 1)))
      runs += 1
    }
    return best
  }

  static func median(_ v: [Double]) -> Double {
    let s = v.sorted()
    return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
  }
}
