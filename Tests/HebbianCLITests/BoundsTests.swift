import Foundation
import Hebbian
import Testing

@testable import HebbianCLI

/// Every option of stdp, competing, capacity, train-plastic, learn and recall has a declared
/// range, and each run's work and buffers are counted before any of it is done: the lines
/// below once trapped, aborted, ran without end or printed NaN with status 0. Each must now
/// end at once with one line naming the option (status 2) or the data (status 1).
@Suite(.serialized) struct BoundsTests {
  static func temp(_ name: String) -> String {
    NSTemporaryDirectory() + "hebbian-bounds-\(getpid())-\(name)"
  }

  /// Runs the built binary as a child (the in-process run would share stdout with suites
  /// that capture it); returns the status and stderr.
  static func run(_ args: [String]) -> (status: Int32, err: String) {
    guard let r = try? spawnHebbian(args, in: NSTemporaryDirectory()) else { return (-1, "") }
    return (r.status, r.stderr)
  }

  /// Status and a piece of the error line of every reproducer.
  static let refused: [(args: [String], status: Int32, says: String)] = [
    (["stdp", "window", "--dt", "1e-30"], 2, "--dt: must be in [0.001, 10]"),
    (["stdp", "window", "--range", "1e30"], 2, "--range: must be in"),
    (["stdp", "window", "--spacing", "1e-30"], 2, "--spacing: must be in"),
    (["stdp", "window", "--range", "1e6", "--spacing", "0.001"], 2, "above the budget"),
    (["stdp", "balance", "--seconds", "1e30"], 2, "--seconds: must be in"),
    (["stdp", "balance", "--seconds", "1e7"], 2, "change --seconds or --dt"),
    (["stdp", "balance", "--dt", "1e-12"], 2, "--dt: must be in"),
    (["stdp", "competitive", "--inputs", "2000000000"], 2, "--inputs: must be in"),
    (["stdp", "reward", "--inputs", "2000000000"], 2, "--inputs: must be in"),
    (["stdp", "window", "--seed", "99999999999"], 2, "--seed: must be in"),
    (["competing", "--rate", "1e30", "--epochs", "1"], 2, "--rate: must be in [0, 1]"),
    (["competing", "--hidden", "2000000000"], 2, "--hidden: must be in"),
    (["competing", "--train", "2000000000"], 2, "--train: must be in"),
    (["competing", "--test", "2000000000"], 2, "--test: must be in"),
    (["competing", "--batch", "2000000000"], 2, "--batch: must be in"),
    (["competing", "--epochs", "2000000000"], 2, "--epochs: must be in"),
    (["competing", "--readout-epochs", "2000000000"], 2, "--readout-epochs: must be in"),
    (["competing", "--epochs", "1000000"], 2, "competing: about"),
    (
      ["capacity", "--model", "hopfield", "--dim", "100", "--from", "1e20", "--to", "1e20"], 2,
      "--from: must be in"
    ),
    (["capacity", "--dim", "100", "--step", "1e-30"], 2, "--step: must be in"),
    (["capacity", "--dim", "100", "--step", "1e-6"], 2, "loads, at most 100000"),
    (["capacity", "--dim", "100", "--to", "1e300"], 2, "--to: must be in"),
    (
      ["capacity", "--dim", "1000000", "--from", "100", "--to", "100"], 2,
      "patterns, at most 16777216"
    ),
    (["capacity", "--dim", "100", "--trials", "2000000000"], 2, "--trials: must be in"),
    (
      ["capacity", "--dim", "100", "--model", "ei", "--search", "2000000000"], 2,
      "--search: must be in"
    ),
    (["capacity", "--dim", "1000", "--trials", "100000"], 2, "capacity: about"),
    (["capacity", "--model", "ei", "--dim", "2000", "--search", "1000"], 2, "capacity: about"),
    (
      [
        "train-plastic", "--bits", "50", "--cycles", "2000000000", "--present", "2000000000",
        "--episodes", "1",
      ], 2, "--cycles: must be in"
    ),
    (["train-plastic", "--bits", "100000000"], 2, "--bits: must be in [2, 4096]"),
    (["train-plastic", "--patterns", "100000000"], 2, "--patterns: must be in"),
    (["train-plastic", "--cycles", "100000", "--present", "100000"], 2, "--cycles: must be in"),
    (
      ["train-plastic", "--cycles", "10000", "--present", "10000", "--episodes", "1"], 2,
      "above the memory budget"
    ),
    (["train-plastic", "--bits", "4096"], 2, "above the budget of 512 MiB"),
    (["train-plastic", "--lr", "1e39"], 2, "--lr: must be in"),
    (["learn", "--rule", "bcm", "--threshold-tau", "1e30"], 2, "--threshold-tau: must be in"),
    (["learn", "--rule", "hebb", "--passes", "2000000000"], 2, "--passes: must be in"),
    (["export", "--model", "/dev/zero", "--output", "-"], 1, "not a hebbian model file"),
    (["stdp", "window", "--dt", "1e-30\nsecond line"], 2, "got '1e-30\\nsecond line'"),
  ]

  @Test(arguments: refused.indices) func reproducerIsRefusedInOneLine(_ i: Int) {
    let c = Self.refused[i]
    let (status, err) = Self.run(c.args)
    #expect(status == c.status, "\(c.args): \(err)")
    #expect(err.contains(c.says), "\(c.args): \(err)")
    #expect(err.split(separator: "\n").count == 1, "\(c.args): \(err)")
  }

  /// Plain Hebb without decay grows without bound on the demo stream: the run says so and
  /// what to change, with status 1, and writes no weights.
  @Test func learnHebbOnTheDemoStreamSaysItDiverged() throws {
    let stream = Self.temp("imu.csv"), weights = Self.temp("w.f32")
    defer { for p in [stream, weights] { try? FileManager.default.removeItem(atPath: p) } }
    #expect(Self.run(["demo", "--samples", "20000", "--save-stream", stream]).status == 0)
    let (status, err) = Self.run([
      "learn", "--rule", "hebb", "--input", stream, "--save-weights", weights,
    ])
    #expect(status == 1)
    #expect(err.contains("diverged") && err.contains("--decay") && err.contains("oja"))
    #expect(err.contains("instar"))
    #expect(!FileManager.default.fileExists(atPath: weights))
    // The guarded rules still learn the same stream.
    #expect(Self.run(["learn", "--rule", "bcm", "--input", stream]).status == 0)
    #expect(Self.run(["learn", "--rule", "hebb", "--input", stream, "--normalize"]).status == 0)
    // A huge threshold time constant that the range allows ends in the guard, not NaN.
    let bcm = Self.run(["learn", "--rule", "bcm", "--input", stream, "--threshold-tau", "1e9"])
    #expect(bcm.status == 1 && bcm.err.contains("diverged") && !bcm.err.contains("nan"))
  }

  /// Forged PCA models whose k·d or k·k overflow a 32-bit Int: refused by the memory budget
  /// in 64-bit arithmetic, before any product is formed (the same words on every target).
  @Test func forgedModelShapesAreRefusedBeforeAnyProduct() throws {
    for (i, shape) in [[1, 65536], [2, Int(Int32.max)], [65536, 65536]].enumerated() {
      let path = Self.temp("forged-\(i).hbm")
      defer { try? FileManager.default.removeItem(atPath: path) }
      let file = ModelFile(
        kind: "pca.ccipca", shapes: shape, arrays: [.init("W", [Float](repeating: 0, count: 9))])
      FileManager.default.createFile(atPath: path, contents: Data(file.encoded()))
      let (status, err) = Self.run(["export", "--model", path, "--output", "-"])
      #expect(status == 1)
      #expect(err.contains("above the memory budget of 512 MiB"), "\(err)")
    }
  }

  /// A model file is read header first: a file that is not a model fails after its first
  /// bytes, and one larger than the budget fails on its size, before its body is read.
  @Test func modelFilesAreReadInBoundedSteps() throws {
    #expect(throws: CLIError.self) { try Files.readModel("/dev/zero") }
    let path = Self.temp("big.hbm")
    defer { try? FileManager.default.removeItem(atPath: path) }
    FileManager.default.createFile(atPath: path, contents: Data(ModelFile.magic + [1, 0, 0, 0]))
    let handle = try FileHandle(forWritingAtPath: path).unwrap()
    try handle.truncate(atOffset: UInt64(MemoryBudget.bytes) + 1)
    try handle.close()
    do {
      _ = try Files.readModel(path)
      Issue.record("a model file over the budget was read")
    } catch {
      #expect(error.message.contains("above the memory budget"), "\(error.message)")
    }
  }

  @Test func optionRangesAreDeclaredForEveryOptionOfTheBoundedCommands() {
    for command in Command.all
    where ["stdp", "competing", "capacity", "train-plastic", "recall"].contains(command.name) {
      for spec in command.options where spec.kind == .value {
        // Choices, paths and lists are words; every other value is a number with a range.
        let word =
          [
            "M", "R", "P.f32", "C.f32", "R.f32", "FILE", "FILE.svg", "L", "DATA.csv",
            "all|nearest", "hard|soft", "N1,N2,...",
          ].contains(spec.valueName)
        #expect(word || spec.range != nil, "\(command.name) \(spec.name)")
      }
    }
  }

  @Test func workBudgetCountsInCheckedSixtyFourBitArithmetic() {
    var b = WorkBudget("t")
    b.work([Int64(Int32.max), Int64(Int32.max), 4], [.flag("--a", "")])
    #expect(b.steps == nil)
    #expect(throws: CLIError.self) { try b.check() }
    var c = WorkBudget("t")
    c.work(Double.infinity, [.flag("--b", "")])
    #expect(c.steps == nil)
    var d = WorkBudget("t")
    d.work(1000.4, times: [3], [.flag("--c", "")])
    #expect(d.steps == 3003)
  }

  @Test func controlCharactersAreEscaped() {
    #expect(Console.escaped("a\nb\rc\u{1b}[0m", keepNewlines: false) == "a\\nb\\rc\\x1b[0m")
    #expect(Console.escaped("plain", keepNewlines: false) == "plain")
  }
}

extension Optional {
  fileprivate func unwrap() throws -> Wrapped {
    guard let v = self else { throw CocoaError(.fileNoSuchFile) }
    return v
  }
}
