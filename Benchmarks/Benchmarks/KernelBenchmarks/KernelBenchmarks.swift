import BenchSupport
import Benchmark

#if canImport(Glibc)
  import Glibc
#endif

/// Every kernel of the kernel list (hb_kernels.inc) under every supported variant, plus the
/// OpenBLAS per-sample compositions of the subspace and GHA updates, over
/// d ∈ {16, 64, 256, 1024} × k ∈ {1, 8, 32}. One benchmark iteration is 1000 calls
/// (scalingFactor .kilo), so the reported time is per call and the clock's own cost is
/// amortised. Metrics: wall clock, throughput (calls/s) and mallocs, which must be 0.
///
/// HEBBIAN_BENCH_SMOKE=1 runs d ∈ {16, 64}, k ∈ {1, 8} for a few milliseconds each: the CI
/// smoke run, which proves every benchmark builds and runs (AllocationCheck proves zero
/// allocations).
///
/// HEBBIAN_BENCH_ROOFLINE=1 adds the DRAM roofline (opt-in: W is twice the last-level
/// cache, hundreds of MiB): gha and subspace of the best variant at d = 16384 and a memcpy of
/// W's size, one call per iteration. GB/s = bytes x throughput: 12kd bytes per step (W read
/// twice, written once), 8kd per copy (read + written).
let benchmarks: @Sendable () -> Void = {
  let smoke = getenv("HEBBIAN_BENCH_SMOKE") != nil
  Benchmark.defaultConfiguration = .init(
    metrics: [.wallClock, .throughput, .mallocCountTotal],
    timeUnits: .nanoseconds,
    warmupIterations: smoke ? 1 : 5,
    scalingFactor: .kilo,
    maxDuration: smoke ? .milliseconds(5) : .milliseconds(250),
    maxIterations: smoke ? 5 : 10_000
  )
  let uncovered = Workloads.uncovered
  precondition(uncovered.isEmpty, "no workload for " + uncovered.joined(separator: ", "))
  let ds = smoke ? [16, 64] : [16, 64, 256, 1024]
  let ks = smoke ? [1, 8] : [1, 8, 32]
  for w in Workloads.all(ds: ds, ks: ks) {
    Benchmark(w.name + " (" + String(w.flops) + " flop)") { benchmark in
      for _ in benchmark.scaledIterations { w.run() }
    }
  }
  if getenv("HEBBIAN_BENCH_ROOFLINE") != nil {
    for w in Workloads.roofline() {
      let bytes = w.kernel == "copy" ? 8 * w.k * w.d : 12 * w.k * w.d
      Benchmark(
        w.name + " (" + String(bytes) + " bytes)",
        configuration: .init(
          metrics: [.wallClock, .throughput], timeUnits: .milliseconds, warmupIterations: 1,
          scalingFactor: .one, maxDuration: .seconds(3), maxIterations: 20)
      ) { benchmark in
        for _ in benchmark.scaledIterations { w.run() }
      }
    }
  }
}
