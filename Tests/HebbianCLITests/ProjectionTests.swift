import Foundation
import Glibc
import Hebbian
import Testing

@testable import HebbianCLI

/// `pca --project`: one definition of a row, each sample's outputs as the step that learned it
/// computed them, whatever the input path and wherever its blocks end.
@Suite(.serialized) struct ProjectionTests {
  /// Runs `script` in /bin/sh with the binary as $H, in `dir`; returns its status.
  func sh(_ script: String, in dir: String) throws -> Int32 {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/bin/sh")
    p.arguments = ["-c", "cd '\(dir)' && " + script]
    // The caller's environment (HEBBIAN_ISA too: the rows are compared with this process's
    // learner) plus the binary.
    var env = ProcessInfo.processInfo.environment
    env["H"] = hebbianExecutable()
    p.environment = env
    p.standardOutput = FileHandle.nullDevice
    try p.run()
    p.waitUntilExit()
    return p.terminationStatus
  }

  /// A CSV of `n` samples of 6 values (with a header), each value written so it reads back
  /// exactly.
  func csv(_ values: [Float], d: Int) -> String {
    var text = "a,b,c,d,e,f\n"
    for s in 0..<(values.count / d) {
      text += (0..<d).map { Fmt.shortest(values[s * d + $0]) }.joined(separator: ",") + "\n"
    }
    return text
  }

  /// A file, a pipe, a pipe that pauses mid-stream (so its blocks end elsewhere), a FIFO and
  /// --batch 1 and 4: the same projection and the same components, byte for byte; and the
  /// rows are the library's per-sample outputs.
  @Test func sameRowsForEveryInputPath() throws {
    let dir = temporaryDirectory()
    let d = 6
    let n = 3000
    let values = seededStream(samples: n, dimension: d, seed: 31)
    writeText(dir + "/s.csv", csv(values, d: d))
    for batch in [1, 4] {
      let args = "pca --dim 6 --components 3 --center --batch \(batch) --quiet"
      func run(_ name: String, _ line: String) throws {
        let status = try sh(
          line.replacingOccurrences(
            of: "PCA", with: "\"$H\" \(args) --project \(name).csv --save-components \(name).f32"),
          in: dir)
        #expect(status == 0, "\(name) batch \(batch)")
      }
      try run("file", "PCA --input s.csv")
      try run("f32", "PCA --input s.csv --project p.f32")
      try run("pipe", "cat s.csv | PCA --input -")
      try run("pause", "(head -n 1200 s.csv; sleep 0.3; tail -n +1201 s.csv) | PCA --input -")
      try run("fifo", "mkfifo q && (cat s.csv > q &) && PCA --input q; rm -f q")
      let reference = fileBytes(dir + "/file.csv")
      #expect(reference != nil && reference!.count > n * 3 * 2)
      for name in ["pipe", "pause", "fifo"] {
        #expect(fileBytes(dir + "/\(name).csv") == reference, "\(name) batch \(batch)")
        #expect(
          fileBytes(dir + "/\(name).f32") == fileBytes(dir + "/file.f32"), "\(name) batch \(batch)")
      }

      // The definition: row s is y of the step that learned sample s.
      var pca = try OnlinePCA(
        dimension: d, components: 3, rule: .gha, centering: true, maxBatch: batch)
      var y = [Float](repeating: 0, count: n * 3)
      var out = y.mutableSpan
      try pca.update(block: values.span, batch: batch, outputs: &out)
      _ = consume out
      #expect(fileBytes(dir + "/p.f32") == f32Bytes(y), "batch \(batch)")
    }
  }

  /// A run stopped by --max-samples with a checkpoint, then resumed with the same --project:
  /// the file keeps the rows the first run committed and ends as the uninterrupted run's, for
  /// CSV and f32 rows, a file and stdin; rows past the checkpoint left by a killed run are
  /// cut; a file shorter than the checkpoint says is refused.
  @Test func resumeKeepsTheCommittedRows() throws {
    let dir = temporaryDirectory()
    let d = 6
    let n = 2000
    let values = seededStream(samples: n, dimension: d, seed: 32)
    writeText(dir + "/s.csv", csv(values, d: d))
    let common = ["pca", "--dim", "6", "--components", "3", "--center", "--quiet"]
    for ext in ["csv", "f32"] {
      let full = dir + "/full." + ext
      let part = dir + "/part." + ext
      let ckpt = dir + "/c.hbm"
      try? FileManager.default.removeItem(atPath: ckpt)
      #expect(
        try spawnHebbian(common + ["--input", dir + "/s.csv", "--project", full], in: dir).status
          == 0)
      let first = try spawnHebbian(
        common + [
          "--input", dir + "/s.csv", "--project", part, "--checkpoint", ckpt, "--max-samples",
          "700",
        ], in: dir)
      #expect(first.status == 0, "\(first.stderr)")
      let kept = try ModelFile(decoding: fileBytes(ckpt)!).counter("projectBytes")
      #expect(Int(kept) == fileBytes(part)!.count)
      #expect(fileBytes(part)! == Array(fileBytes(full)![0..<Int(kept)]))
      // Rows written after the checkpoint by a run that was then killed: cut on resume.
      try Files.write(part, fileBytes(part)! + Array("9,9,9\n".utf8))
      let rest = try spawnHebbian(
        common + ["--input", dir + "/s.csv", "--project", part, "--resume", ckpt], in: dir)
      #expect(rest.status == 0, "\(rest.stderr)")
      #expect(fileBytes(part) == fileBytes(full), "\(ext)")

      // Stdin: the first run reads part of the stream, the resumed one the rest.
      let lines = csv(values, d: d).split(separator: "\n", omittingEmptySubsequences: false)
      func text(_ range: Range<Int>) -> [UInt8] {
        Array((lines[range].joined(separator: "\n") + "\n").utf8)
      }
      try? FileManager.default.removeItem(atPath: ckpt)
      let piped = common + ["--input", "-", "--project", part, "--checkpoint", ckpt]
      #expect(
        try spawnHebbian(piped + ["--max-samples", "700"], stdin: text(0..<800), in: dir).status
          == 0)
      let offset = Int(try ModelFile(decoding: fileBytes(ckpt)!).counter("sampleOffset"))
      #expect(offset == 700)
      let tail = try spawnHebbian(
        piped + ["--resume", ckpt], stdin: text((1 + offset)..<(1 + n)), in: dir)
      #expect(tail.status == 0, "\(tail.stderr)")
      #expect(fileBytes(part) == fileBytes(full), "stdin \(ext)")
    }

    // A projection file shorter than the checkpoint committed is not the one the run wrote.
    let ckpt = dir + "/c.hbm"
    try? FileManager.default.removeItem(atPath: ckpt)
    let args = common + ["--input", dir + "/s.csv", "--project", dir + "/p.csv", "--checkpoint", ckpt]
    #expect(try spawnHebbian(args + ["--max-samples", "700"], in: dir).status == 0)
    writeText(dir + "/p.csv", "1,2,3\n")
    let refused = try spawnHebbian(args + ["--resume", ckpt], in: dir)
    #expect(refused.status == 1)
    #expect(
      refused.stderr.hasPrefix(
        "hebbian pca: error: --project \(dir)/p.csv: holds fewer than the "))
  }
}
