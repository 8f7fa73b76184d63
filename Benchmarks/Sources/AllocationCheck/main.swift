import BenchSupport
import Hebbian
import MallocInterposerSwift

#if canImport(Glibc)
  import Glibc
#endif

/// Fails (exit 1) if any kernel call or rule update allocates, or if a kernel of the list has
/// no workload. Every workload of the benchmark
/// grid runs 100 times between two reads of the malloc interposer's counters; the workloads'
/// buffers are allocated before counting starts, so any malloc seen is the kernel's (or the
/// call path's) own.
MallocInterposerSwift.initialize()
// The counters must see a known allocation, or a silent interposer would pass everything.
MallocInterposerSwift.reset()
MallocInterposerSwift.hook()
let probe = UnsafeMutablePointer<Float>.allocate(capacity: 64)
probe.deallocate()
MallocInterposerSwift.unhook()
guard MallocInterposerSwift.getStatistics().mallocCount >= 1 else {
  print("allocation check: the malloc interposer saw no allocation; cannot check")
  exit(2)
}
// Every row of the kernel list must have a workload, or a new kernel would go unmeasured.
let uncovered = Workloads.uncovered
guard uncovered.isEmpty else {
  print("allocation check: no workload for " + uncovered.joined(separator: ", "))
  exit(1)
}
let workloads = Workloads.all(ds: [16, 64, 256, 1024], ks: [1, 8, 32])
for w in workloads { w.run() }  // first calls: lazy dispatch, OpenBLAS thread setup
var passed = 0, failed = 0
for w in workloads {
  MallocInterposerSwift.reset()
  MallocInterposerSwift.hook()
  for _ in 0..<100 { w.run() }
  MallocInterposerSwift.unhook()
  let stats = MallocInterposerSwift.getStatistics()
  if stats.mallocCount == 0 {
    passed += 1
  } else {
    failed += 1
    print("ALLOCATES: \(w.name): \(stats.mallocCount) mallocs in 100 calls")
  }
}
// The novelty monitor per sample, in every phase: learn, calibrate (with the phase changes
// that set the limits) and detect with adaptation (the basis refresh included).
func monitorAllocations() throws -> Int {
  let d = 8
  var options = NoveltyMonitor.Options(channels: d, components: 3)
  options.lags = 2
  options.learnSamples = 2000
  options.calibrationSamples = 1000
  options.adaptRate = 0.01
  options.window = 5
  options.alarmCount = 3
  var monitor = try NoveltyMonitor(options)
  var rng = SeededGenerator(seed: 3)
  let samples = (0..<(6000 * d)).map { _ in Float(rng.gaussian()) }
  MallocInterposerSwift.reset()
  MallocInterposerSwift.hook()
  for s in 0..<6000 {
    _ = try monitor.process(samples.span.extracting((s * d)..<((s + 1) * d)))
  }
  MallocInterposerSwift.unhook()
  return MallocInterposerSwift.getStatistics().mallocCount
}
let monitorMallocs = try monitorAllocations()
if monitorMallocs == 0 {
  passed += 1
} else {
  failed += 1
  print("ALLOCATES: NoveltyMonitor.process: \(monitorMallocs) mallocs in 6000 samples")
}
print(
  "allocation check: \(workloads.count) workloads x 100 calls, NoveltyMonitor x 6000 samples"
    + " (\(Workloads.catalogue.count) kernels, \(Workloads.isas.count) variants)")
print("\(passed) passed, \(failed) failed")
if failed > 0 { exit(1) }
