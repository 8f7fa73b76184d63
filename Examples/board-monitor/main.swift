// The novelty monitor on a board, nothing else: float32 samples on stdin -> NoveltyMonitor ->
// one line on stdout each time the alarm turns on or off. Built with Embedded Swift by
// Scripts/cross-build.sh; a template for a board program that learns what normal looks like
// on the device and then watches for change.
//
//   board-monitor [D [LEARN [CALIBRATE [K [LAGS]]]]]
//
// D channels per record (default 6), LEARN samples to learn from (default 2000), CALIBRATE
// samples to set the limits on (default 1000), K components (default 3), LAGS samples per
// embedded vector (default 1); false-alarm rate 0.001, alarm on 3 of the last 5 samples.
// Each input record is D little-endian float32 values; a partial record at the end is ignored.
// A sample holding NaN or infinity is skipped and counted (a sensor glitch must not stop the
// watch); at the end a summary line goes to stderr.
import CHebbianSys
import Hebbian

/// The decimal integer in argument i, or `fallback` without one (bytes, no String parsing).
func argument(_ i: Int32, _ fallback: Int) -> Int {
  guard i < hb_sys_argc(), let p = hb_sys_argv(i) else { return fallback }
  var v = 0
  var j = 0
  while p[j] != 0 {
    let c = Int(p[j]) - 48
    guard c >= 0 && c <= 9 && v < 1 << 24 else { fail("expected a small positive integer") }
    v = v * 10 + c
    j += 1
  }
  return j == 0 ? fallback : v
}

func say(_ fd: Int32, _ message: String) {
  var m = message + "\n"
  m.withUTF8 { _ = hb_sys_write_all(fd, $0.baseAddress, $0.count) }
}

func fail(_ message: String) -> Never {
  say(2, "board-monitor: " + message)
  hb_sys_exit(2)
}

@main
struct BoardMonitor {
  static func main() {
    let d = argument(1, 6)
    var options = NoveltyMonitor.Options(channels: d, components: argument(4, 3))
    options.learnSamples = Int64(argument(2, 2000))
    options.calibrationSamples = Int64(argument(3, 1000))
    options.lags = argument(5, 1)
    options.window = 5
    options.alarmCount = 3
    var monitor: NoveltyMonitor
    do throws(HebbianError) {
      monitor = try NoveltyMonitor(options)
    } catch {
      fail(error.message)
    }
    let record = 4 * d
    let capacity = 256 * record
    // Samples arrive as raw bytes into the float storage itself: no conversion, no copy.
    var input = [Float](repeating: 0, count: 256 * d)
    var filled = 0
    var sample = 0
    var skipped = 0
    while true {
      let n = input.withUnsafeMutableBytes {
        hb_sys_read(0, $0.baseAddress! + filled, capacity - filled)
      }
      if n < 0 { fail("cannot read stdin") }
      if n == 0 { break }
      filled += Int(n)
      let records = filled / record
      for r in 0..<records {
        sample += 1
        let wasOn = monitor.alarm
        do throws(HebbianError) {
          _ = try monitor.process(input.span.extracting(r * d..<(r + 1) * d))
        } catch {
          if case .nonFinite = error {
            skipped += 1
            continue
          }
          fail("sample \(sample): " + error.message)
        }
        if monitor.alarm != wasOn { say(1, "alarm \(monitor.alarm ? "on" : "off") at \(sample)") }
      }
      // The partial record moves to the front for the next read.
      let used = records * record
      input.withUnsafeMutableBytes { b in
        let base = b.baseAddress!
        for i in 0..<(filled - used) { base.storeBytes(of: base.load(fromByteOffset: used + i, as: UInt8.self), toByteOffset: i, as: UInt8.self) }
      }
      filled -= used
    }
    say(
      2,
      "board-monitor: \(sample) samples (\(skipped) skipped), phase \(monitor.phase.name), \(monitor.exceedances) beyond a limit, alarm on for \(monitor.alarmSamples)"
    )
  }
}
