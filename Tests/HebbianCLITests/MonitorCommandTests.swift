import Foundation
import Glibc
import Hebbian
import Testing

@testable import HebbianCLI

/// `hebbian monitor` end to end: one row per input row with the learn and calibrate rows
/// empty, a level step flagged, alarm onsets on stderr, a saved monitor reused on a new
/// stream, refusals before any work, and kill -9 with --resume giving the uninterrupted run.
@Suite(.serialized) struct MonitorCommandTests {
  /// `n` samples of `seededStream` with every channel shifted by `step` from sample `at` on.
  func stream(_ n: Int, d: Int, seed: UInt64, stepAt at: Int, step: Float) -> [Float] {
    var x = seededStream(samples: n, dimension: d, seed: seed)
    for s in at..<n { for j in 0..<d { x[s * d + j] += step * Float(j % 2 == 0 ? 1 : -1) } }
    return x
  }

  func rows(_ path: String) -> [[Substring]] {
    String(decoding: fileBytes(path) ?? [], as: UTF8.self).split(separator: "\n").dropFirst()
      .map { $0.split(separator: ",", omittingEmptySubsequences: false) }
  }

  @Test func rowsLineUpAndAStepRaisesTheAlarm() throws {
    let dir = temporaryDirectory()
    try Files.write(
      dir + "/s.f32", f32Bytes(stream(3000, d: 5, seed: 3, stepAt: 2500, step: 3)))
    let r = try spawnHebbian(
      [
        "monitor", "--input", dir + "/s.f32", "--dim", "5", "--learn", "1000", "--calibrate",
        "500", "--components", "2", "--lags", "2", "--window", "5", "--alarm", "3",
        "--output", dir + "/out.csv", "--plot", dir + "/p.svg",
      ], in: dir)
    #expect(r.status == 0, "\(r.stderr)")
    let header = String(decoding: fileBytes(dir + "/out.csv")!.prefix(31), as: UTF8.self)
    #expect(header == "id,t2,q,t2_limit,q_limit,alarm\n")
    let out = rows(dir + "/out.csv")
    #expect(out.count == 3000)
    for (i, row) in out.enumerated() {
      #expect(row.count == 6)
      #expect(row[0] == "\(i + 1)"[...])
      // Learn and calibrate rows carry no statistics; detection rows carry finite ones.
      if i < 1500 {
        #expect(row[1].isEmpty && row[5] == "0")
      } else {
        for v in row[1...4] { #expect(Double(v)?.isFinite == true, "row \(i + 1): \(row)") }
      }
    }
    let before = out[1500..<2500].filter { $0[5] == "1" }.count
    let after = out[2505..<3000].filter { $0[5] == "1" }.count
    #expect(before < 20, "\(before) alarms on normal data")
    #expect(after == 495)
    #expect(r.stderr.contains("monitor: alarm on at 250"))
    #expect(String(decoding: fileBytes(dir + "/p.svg")!, as: UTF8.self).contains("<svg"))
  }

  @Test func aSavedMonitorWatchesANewStream() throws {
    let dir = temporaryDirectory()
    try Files.write(dir + "/train.f32", f32Bytes(seededStream(samples: 2000, dimension: 4, seed: 8)))
    try Files.write(dir + "/new.f32", f32Bytes(stream(600, d: 4, seed: 9, stepAt: 300, step: 4)))
    let a = try spawnHebbian(
      [
        "monitor", "--input", dir + "/train.f32", "--dim", "4", "--learn", "1500",
        "--components", "2", "--save-model", dir + "/m.hbm", "--output", "/dev/null", "--quiet",
      ], in: dir)
    #expect(a.status == 0, "\(a.stderr)")
    let b = try spawnHebbian(
      ["monitor", "--input", dir + "/new.f32", "--dim", "4", "--model", dir + "/m.hbm", "--quiet"],
      in: dir)
    #expect(b.status == 0, "\(b.stderr)")
    let out = b.stdout.split(separator: "\n").dropFirst().map { $0.split(separator: ",") }
    #expect(out.count == 600)
    #expect(out[310...].allSatisfy { $0.last == "1" })
    #expect(out[..<300].filter { $0.last == "1" }.count < 10)
    // The model fixes the monitor: its options are refused, not silently ignored.
    let c = try spawnHebbian(
      ["monitor", "--input", dir + "/new.f32", "--dim", "4", "--model", dir + "/m.hbm", "--lags", "3"],
      in: dir)
    #expect(c.status == 2)
    #expect(c.stderr.contains("--lags: the monitor in --model"))
  }

  @Test(arguments: [
    (["--dim", "4"], "monitor needs --learn N"),
    (["--dim", "4", "--learn", "100", "--components", "4"], "--components 4: must be below"),
    (["--dim", "4", "--learn", "100", "--window", "3", "--alarm", "4"], "--alarm 4: at most"),
    (["--dim", "4", "--learn", "100", "--false-alarm", "0.9"], "--false-alarm: must be in"),
    (["--dim", "4", "--learn", "1000000", "--passes", "1000000"], "above the budget of 2^42"),
    (["--dim", "4", "--learn", "100000000000"], "above the memory budget"),
    (["--dim", "4", "--learn", "100", "--output", "o.f32"], "writes CSV rows"),
    (["--dim", "4", "--learn", "5000"], "the input ended after 3000 samples"),
  ])
  func refusalsNameTheOption(args: [String], message: String) throws {
    let dir = temporaryDirectory()
    try Files.write(dir + "/s.f32", f32Bytes(seededStream(samples: 3000, dimension: 4, seed: 1)))
    let r = try spawnHebbian(["monitor", "--input", dir + "/s.f32"] + args, in: dir)
    #expect(r.status != 0)
    #expect(r.stderr.contains(message), "\(r.stderr)")
    #expect(r.stderr.split(separator: "\n").count == 1)
  }

  @Test func aGlitchIsSkippedAndCounted() throws {
    let dir = temporaryDirectory()
    var x = seededStream(samples: 1000, dimension: 3, seed: 4)
    x[700 * 3 + 1] = .nan
    try Files.write(dir + "/s.f32", f32Bytes(x))
    let args = ["monitor", "--input", dir + "/s.f32", "--dim", "3", "--learn", "500", "--components", "1"]
    let refused = try spawnHebbian(args, in: dir)
    #expect(refused.status == 1)
    let r = try spawnHebbian(args + ["--skip-nonfinite"], in: dir)
    #expect(r.status == 0, "\(r.stderr)")
    #expect(r.stderr.contains("skipped (NaN/inf) 1"))
    #expect(r.stdout.split(separator: "\n").count == 1000)  // the header and 999 rows
  }

  /// Kill -9 at seeded moments during detection, resume each time: the saved monitor equals
  /// the uninterrupted run's byte for byte, and so do the rows the last run wrote.
  @Test func killAndResumeGivesTheUninterruptedRun() throws {
    let dir = temporaryDirectory()
    let n = 150_000
    try Files.write(dir + "/s.f32", f32Bytes(stream(n, d: 6, seed: 12, stepAt: 140_000, step: 2)))
    let io = ["monitor", "--input", dir + "/s.f32", "--dim", "6", "--quiet"]
    // What the monitor is: given to a fresh run, fixed by the checkpoint for a resumed one.
    let shape = [
      "--learn", "2000", "--calibrate", "2000", "--components", "3", "--lags", "2", "--adapt",
    ]
    let started = Date()
    let full = try spawnHebbian(
      io + shape + ["--save-model", dir + "/full.hbm", "--output", dir + "/full.csv"], in: dir)
    #expect(full.status == 0, "\(full.stderr)")
    let fullRun = Date().timeIntervalSince(started)
    var rng = SeededGenerator(seed: 99)
    let ckpt = dir + "/c.hbm"
    let outputs = [
      "--checkpoint", ckpt, "--checkpoint-every", "5000", "--save-model", dir + "/part.hbm",
      "--output", dir + "/part.csv",
    ]
    var kills = 0
    for _ in 0..<3 {
      let p = Process()
      p.executableURL = URL(fileURLWithPath: hebbianExecutable())
      let resume = FileManager.default.fileExists(atPath: ckpt) ? ["--resume", ckpt] : shape
      p.arguments = io + resume + outputs
      p.standardOutput = FileHandle.nullDevice
      p.standardError = FileHandle.nullDevice
      try p.run()
      usleep(UInt32(fullRun * (0.1 + 0.2 * rng.uniform()) * 1e6))
      if p.isRunning {
        kill(p.processIdentifier, SIGKILL)
        kills += 1
      }
      p.waitUntilExit()
    }
    #expect(kills >= 2)
    let resumeFrom = try ModelFile(decoding: fileBytes(ckpt)!).counter("records")
    #expect(resumeFrom >= 4000)
    let last = try spawnHebbian(io + ["--resume", ckpt] + outputs, in: dir)
    #expect(last.status == 0, "\(last.stderr)")
    #expect(fileBytes(dir + "/part.hbm") == fileBytes(dir + "/full.hbm"))
    let tail = rows(dir + "/full.csv")[Int(resumeFrom)...].map { $0.joined(separator: ",") }
    #expect(rows(dir + "/part.csv").map { $0.joined(separator: ",") } == Array(tail))
  }
}
