import Foundation
import Glibc
import Hebbian
import Testing

@testable import HebbianCLI

/// The built `hebbian` executable: it sits next to the test bundle in the build directory
/// (`.build/<triple>/debug/`, or the scratch path of a sanitizer build).
func hebbianExecutable() -> String {
  let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? ""
  var dir = URL(fileURLWithPath: exe).deletingLastPathComponent()
  // The bundle itself may be a directory (…/swift-hebbianPackageTests.xctest).
  if dir.lastPathComponent.hasSuffix(".xctest") { dir.deleteLastPathComponent() }
  return dir.appendingPathComponent("hebbian").path
}

struct CLIRun {
  var status: Int32
  var stdout: String
  var stderr: String
}

/// Runs the binary with `args`, stdin from `stdin` (empty if nil), and waits.
func spawnHebbian(_ args: [String], stdin: [UInt8]? = nil, in dir: String) throws -> CLIRun {
  let p = Process()
  p.executableURL = URL(fileURLWithPath: hebbianExecutable())
  p.arguments = args
  let inPath = dir + "/.stdin"
  FileManager.default.createFile(atPath: inPath, contents: Data(stdin ?? []))
  FileManager.default.createFile(atPath: dir + "/.stdout", contents: nil)
  FileManager.default.createFile(atPath: dir + "/.stderr", contents: nil)
  p.standardInput = FileHandle(forReadingAtPath: inPath)
  p.standardOutput = FileHandle(forWritingAtPath: dir + "/.stdout")
  p.standardError = FileHandle(forWritingAtPath: dir + "/.stderr")
  try p.run()
  p.waitUntilExit()
  return CLIRun(
    status: p.terminationStatus,
    stdout: String(decoding: fileBytes(dir + "/.stdout") ?? [], as: UTF8.self),
    stderr: String(decoding: fileBytes(dir + "/.stderr") ?? [], as: UTF8.self))
}

func f32Bytes(_ v: [Float]) -> [UInt8] {
  var bytes: [UInt8] = []
  bytes.reserveCapacity(v.count * 4)
  for f in v { withUnsafeBytes(of: f.bitPattern.littleEndian) { bytes.append(contentsOf: $0) } }
  return bytes
}

/// n seeded samples in R^d with a dominant 2-dimensional subspace plus noise and an offset.
func seededStream(samples n: Int, dimension d: Int, seed: UInt64) -> [Float] {
  var rng = SeededGenerator(seed: seed)
  var out = [Float](repeating: 0, count: n * d)
  // Uniform draws (cheaper than Gaussians in a debug build) with different scales per
  // direction: a clear eigengap is all the tests need.
  func u() -> Float { Float(rng.next() >> 40) / Float(1 << 24) - 0.5 }
  for s in 0..<n {
    let a = 4 * u()
    let b = 2 * u()
    for j in 0..<d {
      out[s * d + j] = a * Float(j % 3) - b * Float(j % 2) + 0.2 * u() + 1
    }
  }
  return out
}

/// A whole file, or nil if it cannot be read. Through the CLI's own reader: Foundation's
/// file reading leaks a buffer on empty files, which LeakSanitizer reports.
func fileBytes(_ path: String) -> [UInt8]? {
  try? Files.readAll(path)
}

@Suite(.serialized) struct RecoveryTests {
  let rules = ["oja", "subspace", "gha", "similarity", "fsm", "ccipca"]

  /// Checkpoint at N, stop, resume with the same command line: the components and the saved
  /// model are byte-identical to one uninterrupted run, for every rule, including a stop in
  /// the second pass, mini-batches and skipped NaN samples (no tolerance: same arithmetic in
  /// the same order).
  @Test func resumeIsBitIdenticalForEveryRule() throws {
    let dir = temporaryDirectory()
    var samples = seededStream(samples: 1000, dimension: 6, seed: 21)
    samples[6 * 333 + 2] = .nan  // skipped, and counted, in both runs
    try Files.write(dir + "/s.f32", f32Bytes(samples))
    for rule in rules {
      for (stop, batch) in [(450, 1), (1450, 1), (448, 4)] {
        if batch > 1 && !["oja", "subspace", "gha"].contains(rule) { continue }
        let common = [
          "hebbian", "pca", "--input", dir + "/s.f32", "--dim", "6", "--rule", rule,
          "--components", rule == "oja" ? "1" : "2", "--center", "--passes", "2", "--batch",
          "\(batch)",
          "--skip-nonfinite", "--quiet",
        ]
        #expect(
          HebbianMain.run(
            common + [
              "--save-components", dir + "/full.f32", "--save-model", dir + "/full.hbm",
              "--project", dir + "/full.csv",
            ]) == 0)
        #expect(
          HebbianMain.run(
            common + [
              "--checkpoint", dir + "/c.hbm", "--checkpoint-every", "100", "--max-samples",
              "\(stop)", "--project", dir + "/part.csv",
            ]) == 0)
        let ckpt = try ModelFile(decoding: fileBytes(dir + "/c.hbm")!)
        #expect(try ckpt.counter("samples") == UInt64(stop))
        #expect(try ckpt.counter("pass") == (stop > 1000 ? 1 : 0))
        #expect(try ckpt.counter("skipped") == (stop > 1000 ? 2 : 1))
        #expect(
          HebbianMain.run(
            common + [
              "--resume", dir + "/c.hbm", "--save-components", dir + "/part.f32", "--save-model",
              dir + "/part.hbm", "--project", dir + "/part.csv",
            ]) == 0)
        #expect(
          fileBytes(dir + "/part.f32") == fileBytes(dir + "/full.f32"),
          "\(rule) stop \(stop) batch \(batch)")
        #expect(
          fileBytes(dir + "/part.hbm") == fileBytes(dir + "/full.hbm"),
          "\(rule) stop \(stop) batch \(batch)")
        #expect(
          fileBytes(dir + "/part.csv") == fileBytes(dir + "/full.csv"),
          "\(rule) stop \(stop) batch \(batch)")
        let model = try ModelFile(decoding: fileBytes(dir + "/full.hbm")!)
        #expect(try model.counter("samples") == 1998)  // 2 passes of 999 finite samples
      }
    }
  }

  /// Stdin: the first process reads part of the stream; the caller supplies the rest from the
  /// checkpoint's sample offset, and the result equals one uninterrupted run.
  @Test func resumeOnStdinContinuesWithTheRestOfTheStream() throws {
    let dir = temporaryDirectory()
    let samples = seededStream(samples: 800, dimension: 5, seed: 5)
    let bytes = f32Bytes(samples)
    let common = [
      "pca", "--input", "-", "--format", "f32", "--dim", "5", "--rule", "gha", "--quiet",
    ]
    let full = try spawnHebbian(
      common + ["--save-components", dir + "/full.f32"], stdin: bytes, in: dir)
    #expect(full.status == 0)
    let first = try spawnHebbian(
      common + ["--checkpoint", dir + "/c.hbm", "--max-samples", "300"],
      stdin: Array(bytes[0..<(4 * 5 * 420)]), in: dir)
    #expect(first.status == 0)
    let offset = Int(try ModelFile(decoding: fileBytes(dir + "/c.hbm")!).counter("sampleOffset"))
    #expect(offset == 300)
    let rest = try spawnHebbian(
      common + ["--resume", dir + "/c.hbm", "--save-components", dir + "/part.f32"],
      stdin: Array(bytes[(4 * 5 * offset)...]), in: dir)
    #expect(rest.status == 0, "\(rest.stderr)")
    #expect(rest.stdout.contains("samples               800"))
    #expect(fileBytes(dir + "/part.f32") == fileBytes(dir + "/full.f32"))
  }

  /// Every bad input gives one clear line and a non-zero status, never a crash or a hang, and
  /// the components, model and checkpoint files written before are byte-identical after it.
  @Test func badInputsFailCleanlyAndKeepEarlierFiles() throws {
    let dir = temporaryDirectory()
    let d = 5
    var good = "a,b,c,d,e\n# comment\n"
    let values = seededStream(samples: 400, dimension: d, seed: 9)
    for s in 0..<400 {
      good += (0..<d).map { Fmt.shortest(values[s * d + $0]) }.joined(separator: ",") + "\n"
    }
    writeText(dir + "/good.csv", good)
    try Files.write(dir + "/good.f32", f32Bytes(values))
    let outputs = [
      "--save-components", dir + "/w.f32", "--save-model", dir + "/m.hbm", "--checkpoint",
      dir + "/c.hbm",
      "--project", dir + "/y.csv", "--quiet",
    ]
    let ok = try spawnHebbian(["pca", "--input", dir + "/good.csv"] + outputs, in: dir)
    #expect(ok.status == 0, "\(ok.stderr)")
    let names = ["w.f32", "m.hbm", "c.hbm", "y.csv"]
    let before = names.map { fileBytes(dir + "/" + $0)! }

    var lines = good.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    func csv(_ name: String, line: Int, _ text: String) -> String {
      var l = lines
      l[line - 1] = text
      writeText(dir + "/" + name, l.joined(separator: "\n"))
      return dir + "/" + name
    }
    let ckpt = before[2]
    func ckptVariant(_ name: String, _ bytes: [UInt8]) -> String {
      try! Files.write(dir + "/" + name, bytes)
      return dir + "/" + name
    }
    var flipped = ckpt
    flipped[60] ^= 0x10
    // A W length of 2^62 floats behind a valid CRC: must be refused before any allocation.
    var huge = ModelFile(kind: "pca.gha", shapes: [5, 2], arrays: [.init("W", [1])]).encoded()
    huge.removeLast(4)
    for i in (huge.count - 12)..<(huge.count - 5) { huge[i] = 0xFF }
    huge[huge.count - 5] = 0x3F
    let crc = CRC32.checksum(huge)
    for i in 0..<4 { huge.append(UInt8(truncatingIfNeeded: crc >> (8 * UInt32(i)))) }
    lines = good.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    // A checkpoint in the middle of good.csv, to resume against a shorter file.
    let mid = try spawnHebbian(
      [
        "pca", "--input", dir + "/good.csv", "--checkpoint", dir + "/mid.hbm", "--max-samples",
        "300", "--quiet",
      ], in: dir)
    #expect(mid.status == 0)
    writeText(dir + "/head.csv", lines.prefix(102).joined(separator: "\n"))
    writeText(dir + "/nonfinite.csv", "a,b\nnan,1\n1,inf\n# x\n3e40,2\n")
    var f32Bad = values
    f32Bad[7 * d + 3] = .infinity

    // (what, arguments, stdin, status, message after "hebbian pca: error: ")
    let cases: [(String, [String], [UInt8]?, Int32, String)] = [
      (
        "non-numeric CSV", ["--input", csv("x.csv", line: 103, "1,2,x3,4,5")], nil, 1,
        "x.csv:103:5: expected a number, got 'x3'"
      ),
      (
        "wrong dims (short row)", ["--input", csv("short.csv", line: 50, "1,2,3,4")], nil, 1,
        "short.csv:50:8: expected 5 fields, got 4"
      ),
      (
        "wrong dims (--dim)", ["--input", dir + "/good.csv", "--dim", "4"], nil, 1,
        "good.csv:1:1: header has 5 fields, expected 4"
      ),
      (
        "NaN in CSV", ["--input", csv("nan.csv", line: 7, "1,NaN,3,4,5")], nil, 1,
        "nan.csv:7:3: 'NaN': NaN, infinity or out of float range"
      ),
      (
        "Inf in CSV", ["--input", csv("inf.csv", line: 9, "1,2,3,4,-inf")], nil, 1,
        "inf.csv:9:9: '-inf': NaN, infinity or out of float range"
      ),
      (
        "out-of-range CSV", ["--input", csv("big.csv", line: 9, "1,2,3e40,4,5")], nil, 1,
        "big.csv:9:5: '3e40': NaN, infinity or out of float range"
      ),
      (
        "Inf in f32", ["--input", ckptVariant("inf.f32", f32Bytes(f32Bad)), "--dim", "5"], nil, 1,
        "inf.f32:8:4: NaN or infinity"
      ),
      (
        "truncated f32",
        ["--input", ckptVariant("t.f32", Array(f32Bytes(values).dropLast(6))), "--dim", "5"], nil,
        1,
        "t.f32:400:4: truncated: 14 trailing bytes, not a whole sample of 5 float32 values"
      ),
      (
        "f32 with the wrong --dim", ["--input", dir + "/good.f32", "--dim", "3"], nil, 1,
        "good.f32:667:3: truncated: 8 trailing bytes, not a whole sample of 3 float32 values"
      ),
      ("empty stdin", ["--input", "-"], [], 1, "<stdin>:1:1: empty input: no samples"),
      (
        "empty file", ["--input", ckptVariant("empty.csv", [])], nil, 1,
        "empty.csv:1:1: empty input: no samples"
      ),
      (
        "a NaN row skipped by --skip-nonfinite",
        [
          "--input", csv("onenan.csv", line: 3, "nan,1,1,1,1"), "--skip-nonfinite", "--max-samples",
          "1",
        ],
        nil, 0, ""
      ),
      (
        "only non-finite samples, all skipped",
        ["--input", dir + "/nonfinite.csv", "--skip-nonfinite"], nil, 1,
        "nonfinite.csv: no finite samples (3 skipped for NaN or infinity)"
      ),
      (
        "resume against a shorter input",
        ["--input", dir + "/head.csv", "--resume", dir + "/mid.hbm"], nil, 1,
        "mid.hbm: the checkpoint was taken from a 20744-byte input; head.csv has 5196 bytes (not the same input? --continue mid.hbm learns new data)"
      ),
      (
        "huge --dim", ["--input", dir + "/good.f32", "--dim", "2000000000"], nil, 2,
        "--dim: at most 262144 values per sample, got 2000000000"
      ),
      (
        "huge --batch", ["--input", dir + "/good.f32", "--dim", "5", "--batch", "100000000"], nil,
        2,
        "--batch x dimension: at most 67108864 values, got 100000000 x 5"
      ),
      (
        "truncated checkpoint",
        [
          "--input", dir + "/good.csv", "--resume",
          ckptVariant("trunc.hbm", Array(ckpt.prefix(100))),
        ],
        nil, 1, "trunc.hbm: model file corrupted or truncated: CRC mismatch"
      ),
      (
        "flipped byte in checkpoint",
        ["--input", dir + "/good.csv", "--resume", ckptVariant("flip.hbm", flipped)], nil, 1,
        "flip.hbm: model file corrupted or truncated: CRC mismatch"
      ),
      (
        "not a checkpoint", ["--input", dir + "/good.csv", "--resume", dir + "/good.csv"], nil, 1,
        "good.csv: not a hebbian model file (bad magic)"
      ),
      (
        "huge declared size in checkpoint",
        ["--input", dir + "/good.csv", "--resume", ckptVariant("huge.hbm", huge)], nil, 1,
        "huge.hbm: model file: array 'W' declares 4611686018427387903 values but only 4 bytes remain"
      ),
      (
        "checkpoint of another rule",
        ["--input", dir + "/good.csv", "--resume", dir + "/c.hbm", "--rule", "subspace"], nil, 2,
        "--rule subspace: --resume c.hbm holds a gha model; leave --rule out"
      ),
      (
        "checkpoint of another shape",
        ["--input", dir + "/good.csv", "--resume", dir + "/c.hbm", "--components", "3"], nil, 2,
        "--components 3: --resume c.hbm has 2 components; leave --components out"
      ),
      (
        "checkpoint of another dimension",
        ["--input", dir + "/good.f32", "--dim", "4", "--resume", dir + "/c.hbm"], nil, 2,
        "--dim 4: --resume c.hbm has dimension 5"
      ),
      (
        "missing checkpoint", ["--input", dir + "/good.csv", "--resume", dir + "/none.hbm"], nil, 1,
        "none.hbm: No such file or directory"
      ),
      (
        "--checkpoint-every 0", ["--input", dir + "/good.csv", "--checkpoint-every", "0"], nil, 2,
        "--checkpoint-every: must be >= 1, got 0"
      ),
      (
        "unknown option", ["--input", dir + "/good.csv", "--resum", "x"], nil, 2,
        "unknown option '--resum' (see --help)"
      ),
    ]
    for (what, args, stdin, status, message) in cases {
      // Outputs go elsewhere in the succeeding case so the kept-files check stays meaningful.
      let out = status == 0 ? ["--save-components", dir + "/other.f32", "--quiet"] : outputs
      let r = try spawnHebbian(["pca"] + args + out, stdin: stdin, in: dir)
      #expect(r.status == status, "\(what): \(r.stderr)")
      if status != 0 {
        // One line; the temporary directory is stripped so the message compares exactly.
        let line = r.stderr.replacingOccurrences(of: dir + "/", with: "")
        #expect(line.hasPrefix("hebbian pca: error: " + message), "\(what)")
        #expect(line.filter { $0 == "\n" }.count == 1, "\(what)")
      }
      for (i, name) in names.enumerated() {
        #expect(fileBytes(dir + "/" + name) == before[i], "\(what): \(name) changed")
      }
      let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir).filter {
        $0.contains(".tmp.")
      }
      #expect(leftovers.isEmpty, "\(what): \(leftovers)")
    }
  }

  /// A sample whose squared norm overflows float32 halfway through: the update is refused, the
  /// run stops with a message suggesting a smaller --eta, and the checkpoint on disk is the
  /// last one taken before it, intact.
  @Test func divergenceStopsAndKeepsTheLastCheckpoint() throws {
    let dir = temporaryDirectory()
    var values = seededStream(samples: 400, dimension: 4, seed: 2)
    for j in 0..<4 { values[250 * 4 + j] = 1e20 }
    try Files.write(dir + "/s.f32", f32Bytes(values))
    let r = try spawnHebbian(
      [
        "pca", "--input", dir + "/s.f32", "--dim", "4", "--checkpoint", dir + "/c.hbm",
        "--checkpoint-every", "100",
        "--save-components", dir + "/w.f32", "--quiet",
      ], in: dir)
    #expect(r.status == 1)
    #expect(
      r.stderr.replacingOccurrences(of: dir + "/", with: "") == """
        hebbian pca: error: s.f32:251: the sample's squared norm 4.0e40 is outside [1e-30, 1e30]: \
        rescale the input (float32 cannot hold its updates); the last checkpoint c.hbm is intact

        """)
    let ckpt = try ModelFile(decoding: fileBytes(dir + "/c.hbm")!)
    #expect(try ckpt.counter("samples") == 200)
    #expect(fileBytes(dir + "/w.f32") == nil)
  }

  /// Kill -9 at seeded random moments, resume each time: the final components and --project
  /// rows equal an uninterrupted run's byte for byte, and the checkpoint decodes after every
  /// kill.
  @Test func killAndResumeGivesTheUninterruptedModel() throws {
    let dir = temporaryDirectory()
    let n = 200_000
    let d = 16
    try Files.write(dir + "/s.f32", f32Bytes(seededStream(samples: n, dimension: d, seed: 77)))
    let common = [
      "pca", "--input", dir + "/s.f32", "--dim", "\(d)", "--components", "3", "--rule", "gha",
      "--center",
      "--passes", "2", "--quiet",
    ]
    let started = Date()
    #expect(
      try spawnHebbian(
        common + ["--save-components", dir + "/full.f32", "--project", dir + "/full-y.f32"], in: dir
      ).status == 0)
    // Each run is killed once it has checkpointed past the previous run's last checkpoint,
    // after a further random wait of up to 0.05 T (T: the uninterrupted run's duration): every
    // kill lands mid-run, at a different place each time, and each run makes progress however
    // slowly this build or a loaded machine starts it.
    let fullRun = Date().timeIntervalSince(started)

    var rng = SeededGenerator(seed: 2024)
    let ckpt = dir + "/c.hbm"
    func checkpointedSamples() -> UInt64? {
      guard let bytes = fileBytes(ckpt), let m = try? ModelFile(decoding: bytes) else { return nil }
      return try? m.counter("samples")
    }
    var lastSamples: UInt64 = 0
    var kills = 0
    for _ in 0..<4 {
      let p = Process()
      p.executableURL = URL(fileURLWithPath: hebbianExecutable())
      let resume = FileManager.default.fileExists(atPath: ckpt) ? ["--resume", ckpt] : []
      p.arguments =
        common + [
          "--checkpoint", ckpt, "--checkpoint-every", "4000", "--save-components",
          dir + "/part.f32", "--project", dir + "/part-y.f32",
        ] + resume
      p.standardOutput = FileHandle.nullDevice
      p.standardError = FileHandle.nullDevice
      try p.run()
      let patience = Date().addingTimeInterval(300)
      while p.isRunning, (checkpointedSamples() ?? 0) <= lastSamples, Date() < patience {
        usleep(200)
      }
      usleep(UInt32(fullRun * 0.05 * rng.uniform() * 1e6))
      if p.isRunning {
        kill(p.processIdentifier, SIGKILL)
        kills += 1
      }
      p.waitUntilExit()
      let s = try #require(checkpointedSamples())
      #expect(s > lastSamples)
      lastSamples = s
    }
    #expect(kills >= 3)
    #expect(lastSamples > 0)
    let last = try spawnHebbian(
      common + [
        "--checkpoint", ckpt, "--checkpoint-every", "4000", "--save-components", dir + "/part.f32",
        "--project", dir + "/part-y.f32", "--resume", ckpt,
      ],
      in: dir)
    #expect(last.status == 0, "\(last.stderr)")
    #expect(fileBytes(dir + "/part.f32") == fileBytes(dir + "/full.f32"))
    #expect(fileBytes(dir + "/part-y.f32")?.count == 4 * 3 * n)
    #expect(fileBytes(dir + "/part-y.f32") == fileBytes(dir + "/full-y.f32"))
    #expect(checkpointedSamples() == UInt64(2 * n))
  }

  /// `hebbian recall --save-model` writes the Hopfield memory in the model format: it decodes,
  /// restores, and holds exactly the weights of the stored patterns (integers in N·W, so
  /// bit-identical); other models refuse the option.
  @Test func recallSavesTheHopfieldMemory() throws {
    let dir = temporaryDirectory()
    let n = 32
    var rng = SeededGenerator(seed: 6)
    let patterns: [Float] = (0..<(4 * n)).map { _ in rng.next() & 1 == 0 ? -1 : 1 }
    try Files.write(dir + "/p.f32", f32Bytes(patterns))
    let args = [
      "hebbian", "recall", "--patterns", dir + "/p.f32", "--cues", dir + "/p.f32", "--dim", "\(n)",
      "--output", dir + "/r.f32", "--save-model", dir + "/m.hbm",
    ]
    #expect(HebbianMain.run(args) == 0)
    let restored = try HopfieldMemory(
      restoring: try ModelFile(decoding: fileBytes(dir + "/m.hbm")!))
    #expect(restored.count == 4 && restored.dimension == n)
    var fresh = try HopfieldMemory(dimension: n, capacity: 4)
    for p in 0..<4 { try fresh.store(Array(patterns[(p * n)..<((p + 1) * n)]).span) }
    for i in 0..<n {
      for j in 0..<n { #expect(fresh.weight(i, j).bitPattern == restored.weight(i, j).bitPattern) }
    }
    #expect(fileBytes(dir + "/r.f32") == f32Bytes(patterns))  // every stored pattern is a fixed point
    #expect(HebbianMain.run(args + ["--model", "dense"]) == 2)
  }
}
