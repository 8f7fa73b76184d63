import BenchSupport
import CHebbian
import Foundation
import Hebbian

/// The comparison table of the README, from one run:
///
///   swift run -c release Compare [--seconds S] [--shapes 64x8,256x8,...] [--no-numpy]
///
/// For each rule (gha, subspace) and shape: ns/update (median of 5 repetitions of S/5 s),
/// GFLOP/s at 6kd flop per update, % of the FP32 FMA peak (calibrated by hb_fma_burn_f32,
/// best of 10 probes before and after), and each fused variant's speed-up over the scalar
/// reference, the OpenBLAS per-sample composition and the numpy per-sample loop
/// (numpy_gha.py, run as a child process with single-threaded BLAS).

var seconds = 0.5
var shapes: [(d: Int, k: Int)] = [(16, 1), (64, 8), (256, 8), (256, 32), (1024, 32)]
var useNumpy = true
var args = CommandLine.arguments.dropFirst()
while let a = args.popFirst() {
  switch a {
  case "--seconds": seconds = Double(args.popFirst() ?? "") ?? seconds
  case "--shapes":
    shapes = (args.popFirst() ?? "").split(separator: ",").compactMap { s in
      let p = s.lowercased().split(separator: "x").compactMap { Int($0) }
      return p.count == 2 ? (p[0], p[1]) : nil
    }
  case "--no-numpy": useNumpy = false
  default:
    FileHandle.standardError.write("usage: Compare [--seconds S] [--shapes DxK,...] [--no-numpy]\n".data(using: .utf8)!)
    exit(2)
  }
}

func now() -> UInt64 { DispatchTime.now().uptimeNanoseconds }

func median(_ v: [Double]) -> Double {
  let s = v.sorted()
  return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
}

/// Calls per timed batch, sized from a short warm-up so the clock is read about every 50 µs.
@MainActor func batchSize(_ w: Workload) -> Int {
  var n = 0
  let t0 = now()
  repeat {
    w.run()
    n += 1
  } while now() - t0 < UInt64(min(0.02, seconds / 10) * 1e9)
  return max(1, Int(50_000 / max(Double(now() - t0) / Double(n), 1)))
}

/// ns per call of one repetition of seconds/5.
@MainActor func timeSlice(_ w: Workload, batch: Int) -> Double {
  var count = 0
  let start = now()
  var elapsed: UInt64 = 0
  repeat {
    for _ in 0..<batch { w.run() }
    count += batch
    elapsed = now() - start
  } while elapsed < UInt64(seconds / 5 * 1e9)
  return Double(elapsed) / Double(count)
}

func peakGFLOPs() -> Double {
  let isa = hb_isa(rawValue: UInt32(ISA.best.rawValue))
  var sink: Float = 0
  var iterations: UInt64 = 1000
  var best = 0.0
  var runs = 0
  while runs < 10 {
    let t0 = now()
    let flops = hb_fma_burn_f32(isa, iterations, &sink)
    let dt = now() - t0
    if dt < 5_000_000 {
      iterations *= 2
      continue
    }
    best = max(best, Double(flops) / Double(dt))
    runs += 1
  }
  return best
}

@MainActor func numpyTimes() -> [String: Double] {
  guard useNumpy else { return [:] }
  let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("numpy_gha.py")
  let p = Process()
  p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
  p.arguments = [
    "python3", script.path, "--shapes", shapes.map { "\($0.d)x\($0.k)" }.joined(separator: ","),
    "--seconds", String(seconds),
  ]
  let pipe = Pipe()
  p.standardOutput = pipe
  do { try p.run() } catch { return [:] }
  let data = pipe.fileHandleForReading.readDataToEndOfFile()
  p.waitUntilExit()
  var out: [String: Double] = [:]
  for line in String(decoding: data, as: UTF8.self).split(separator: "\n") {
    let parts = line.split(separator: " ")
    guard parts.count == 4, let v = Double(parts[3].replacingOccurrences(of: "ns/update=", with: ""))
    else { continue }
    out["\(parts[0]) \(parts[1]) \(parts[2])"] = v
  }
  return out
}

func fmt(_ x: Double, _ digits: Int) -> String { String(format: "%.\(digits)f", x) }
func pad(_ s: String, _ w: Int) -> String { String(repeating: " ", count: max(0, w - s.count)) + s }

// The machine's load when the run starts: on a shared machine it explains slow rows.
let loadAtStart = (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8))?
  .split(separator: " ").prefix(3).joined(separator: " ") ?? "unknown"
var peak = peakGFLOPs()
var rows: [(rule: String, d: Int, k: Int, variant: String, ns: Double)] = []
// The repetitions go round-robin over all workloads, so a burst of load from the rest of the
// machine hits every variant alike and the ratios stay meaningful; each row is the median.
var workloads: [Workload] = []
for (d, k) in shapes { workloads += Workloads.rules(d: d, k: k, includeOja: false) }
let batches = workloads.map { batchSize($0) }
var samples = [[Double]](repeating: [], count: workloads.count)
for _ in 0..<5 {
  for (i, w) in workloads.enumerated() { samples[i].append(timeSlice(w, batch: batches[i])) }
}
for (i, w) in workloads.enumerated() {
  rows.append((w.kernel, w.d, w.k, w.variant, median(samples[i])))
}
let numpy = numpyTimes()
for (d, k) in shapes {
  for rule in ["gha", "subspace"] {
    if let ns = numpy["\(rule) d=\(d) k=\(k)"] { rows.append((rule, d, k, "numpy", ns)) }
  }
}
peak = max(peak, peakGFLOPs())

var hostname = [CChar](repeating: 0, count: 256)
gethostname(&hostname, 255)
var cpu = "unknown CPU"
if let info = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
  let line = info.split(separator: "\n").first(where: { $0.hasPrefix("model name") }),
  let colon = line.firstIndex(of: ":")
{
  cpu = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
}
print("machine: \(cpu), \(ProcessInfo.processInfo.activeProcessorCount) cores; one core used; load average at start \(loadAtStart)")
print("peak: \(fmt(peak, 1)) GFLOP/s FP32 FMA (\(ISA.best.name) FMA loop, best of 20 probes)")
print("flop/update: 6kd (gha: 2kd y = Wx + 4kd sweep; subspace: 2kd y + 2kd residual + 2kd update)")
print("time: median of 5 x \(fmt(seconds / 5, 3)) s per row, repetitions round-robin over the rows; speed-ups = other ns / this ns")
print("")
print(
  "| rule | d | k | variant | ns/update | GFLOP/s | % peak | vs scalar | vs OpenBLAS | vs numpy |")
print("|---|---:|---:|---|---:|---:|---:|---:|---:|---:|")
for r in rows.sorted(by: { ($0.rule, $0.d, $0.k) < ($1.rule, $1.d, $1.k) }) {
  let same = rows.filter { $0.rule == r.rule && $0.d == r.d && $0.k == r.k }
  func ratio(_ v: String) -> String {
    guard let o = same.first(where: { $0.variant == v }), o.variant != r.variant else { return "" }
    return fmt(o.ns / r.ns, 2) + "x"
  }
  let fused = r.variant != "openblas" && r.variant != "numpy"
  let gflops = Double(6 * r.k * r.d) / r.ns
  print(
    "| \(r.rule) | \(r.d) | \(r.k) | \(r.variant) | \(fmt(r.ns, 1)) | \(fmt(gflops, 2)) | "
      + "\(fmt(100 * gflops / peak, 1)) | \(ratio("scalar")) | \(fused ? ratio("openblas") : "") | "
      + "\(fused ? ratio("numpy") : "") |")
}
