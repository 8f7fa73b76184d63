import Foundation
import Hebbian
import Testing

@testable import HebbianCLI

@Suite struct MemoryCommandTests {
  static func temp(_ name: String) -> String {
    NSTemporaryDirectory() + "hebbian-memory-\(getpid())-\(name)"
  }

  static func write(_ path: String, _ values: [Float]) {
    let data = values.withUnsafeBufferPointer { Data(buffer: $0) }
    FileManager.default.createFile(atPath: path, contents: data)
  }

  static func read(_ path: String) -> [Float] {
    guard let data = FileManager.default.contents(atPath: path) else { return [] }
    return data.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
  }

  @Test(arguments: ["hopfield", "dense", "modern", "ei", "normative"])
  func recallWritesOneRetrievedRowPerCue(model: String) {
    // 4 patterns in 64 entries (P = 0.06 N; 2 for the E/I network, whose knee is near
    // 0.07 N) and cues with 6 entries flipped: every model retrieves exactly (binary) or to
    // within 1e-2 per entry (continuous), so the output rows must equal the patterns.
    let n = 64, p = model == "ei" ? 2 : 4
    var rng = SeededGenerator(seed: 77)
    var patterns = [Float](repeating: 0, count: p * n)
    for k in 0..<(p * n) {
      patterns[k] = model == "ei" ? (rng.uniform() < 0.5 ? 1 : 0) : rng.sign()
    }
    var cues = patterns
    for mu in 0..<p {
      for j in stride(from: mu, to: n, by: 11) {
        cues[mu * n + j] = model == "ei" ? 1 - cues[mu * n + j] : -cues[mu * n + j]
      }
    }
    let (pp, cp, op) = (Self.temp("\(model)-p"), Self.temp("\(model)-c"), Self.temp("\(model)-o"))
    Self.write(pp, patterns)
    Self.write(cp, cues)
    let status = HebbianMain.run([
      "hebbian", "recall", "--model", model, "--patterns", pp, "--cues", cp, "--dim", "64",
      "--output", op, "--beta", "16",
    ])
    #expect(status == 0)
    let out = Self.read(op)
    #expect(out.count == p * n)
    var worst: Float = 0
    for k in 0..<min(out.count, p * n) { worst = max(worst, abs(out[k] - patterns[k])) }
    #expect(worst < 1e-2, "\(model): max deviation \(worst)")
    for path in [pp, cp, op] { try? FileManager.default.removeItem(atPath: path) }
  }

  @Test func raggedOrMissingFilesAreDataErrors() {
    let pp = Self.temp("ragged")
    Self.write(pp, [1, -1, 1, -1, 1])  // 5 floats: not a multiple of 3
    #expect(
      HebbianMain.run([
        "hebbian", "recall", "--patterns", pp, "--cues", pp, "--dim", "3", "--output",
        Self.temp("unused"),
      ]) == 1)
    #expect(
      HebbianMain.run([
        "hebbian", "recall", "--patterns", Self.temp("absent"), "--cues", pp, "--dim", "5",
        "--output", Self.temp("unused"),
      ]) == 1)
    #expect(HebbianMain.run(["hebbian", "recall", "--model", "boltzmann", "--dim", "3"]) == 2)
    try? FileManager.default.removeItem(atPath: pp)
  }

  @Test func capacityPrintsCurveAndWritesPlot() throws {
    let svg = Self.temp("capacity.svg")
    let status = HebbianMain.run([
      "hebbian", "capacity", "--model", "hopfield,dense", "--dim", "48", "--from", "0.05",
      "--to", "0.25", "--step", "0.1", "--trials", "1", "--probes", "4", "--plot", svg,
    ])
    #expect(status == 0)
    let text = try String(contentsOfFile: svg, encoding: .utf8)
    #expect(text.hasPrefix("<svg") && text.contains("hopfield") && text.contains("dense"))
    try? FileManager.default.removeItem(atPath: svg)
    #expect(HebbianMain.run(["hebbian", "capacity", "--model", "nope", "--dim", "10"]) == 2)
    #expect(HebbianMain.run(["hebbian", "capacity", "--dim", "10", "--from", "0"]) == 2)
  }
}
