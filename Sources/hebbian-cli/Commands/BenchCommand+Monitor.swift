import CHebbianSys
import Hebbian

extension BenchCommand {
  /// `bench --monitor`: what watching costs over learning. One detected sample of a
  /// NoveltyMonitor (standardise, embed, score T² and Q, vote; with --adapt-like learning
  /// off) against one OnlinePCA update of the same shape, in turns in one run so both see the
  /// same machine; ns per sample and their ratio.
  static func benchMonitor(_ o: ParsedOptions) throws(CLIError) {
    let d = try o.int(BenchOptions.dim, default: 8, min: 2)
    let k = try o.int(BenchOptions.components, default: 3, min: 1)
    let seconds = try o.double(BenchOptions.seconds, default: 0.3)
    if !(seconds > 0 && seconds <= 600) { throw .usage("--seconds: expected 0 < S <= 600") }
    if k >= d { throw .usage("--components: below --dim (the monitor needs a residual)") }
    if d > 4096 { throw .usage("--dim: at most 4096 for --monitor, got \(d)") }
    let pool = 4096
    var rng = SeededGenerator(seed: 7)
    var samples = OwnedBuffer<Float>(count: pool * d)
    for i in 0..<samples.count { samples[i] = Float(rng.gaussian()) }
    var options = NoveltyMonitor.Options(channels: d, components: k)
    options.learnSamples = Int64(pool)
    options.calibrationSamples = Int64(pool)
    var monitor: NoveltyMonitor
    var pca: OnlinePCA
    do throws(HebbianError) {
      monitor = try NoveltyMonitor(options)
    } catch {
      throw .data("bench: \(error.message)")
    }
    do throws(HebbianError) {
      pca = try OnlinePCA(dimension: d, components: k, rule: .gha)
    } catch {
      throw .data("bench: \(error.message)")
    }
    do throws(HebbianError) {
      for pass in 0..<2 {
        for s in 0..<pool {
          let x = samples.span.extracting((s * d)..<((s + 1) * d))
          _ = try monitor.process(x)
          if pass == 0 { try pca.update(x) }
        }
      }
    } catch {
      throw .data("bench: \(error.message)")
    }
    var best = (monitor: Double.infinity, pca: Double.infinity)
    let rounds = 10
    let perRound = UInt64(seconds / Double(2 * rounds) * 1e9)
    for _ in 0..<rounds {
      for which in 0..<2 {
        let start = hb_sys_monotonic_ns()
        var n = 0
        repeat {
          for s in 0..<pool {
            let x = samples.span.extracting((s * d)..<((s + 1) * d))
            do throws(HebbianError) {
              if which == 0 { _ = try monitor.detect(x) } else { try pca.update(x) }
            } catch {
              throw .data("bench: \(error.message)")
            }
          }
          n += pool
        } while hb_sys_monotonic_ns() &- start < perRound
        let ns = Double(hb_sys_monotonic_ns() &- start) / Double(n)
        if which == 0 { best.monitor = min(best.monitor, ns) } else { best.pca = min(best.pca, ns) }
      }
    }
    Console.outLine(
      "bench --monitor: d \(d), k \(k), gha, isa \(ISA.active.name), best of \(rounds) turns")
    Console.outLine("  OnlinePCA.update         " + Fmt.fixed(best.pca, 1) + " ns/sample")
    Console.outLine("  NoveltyMonitor.detect    " + Fmt.fixed(best.monitor, 1) + " ns/sample")
    Console.outLine("  ratio                    " + Fmt.fixed(best.monitor / best.pca, 2) + "x")
  }
}
