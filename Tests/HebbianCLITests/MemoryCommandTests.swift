import Foundation
import Hebbian
import Testing

@testable import HebbianCLI

// Serialized: two tests capture the process's standard output.
@Suite(.serialized) struct MemoryCommandTests {
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

  @Test(arguments: ["hopfield", "dense", "modern", "two-layer", "ei", "normative"])
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
    let beta = model == "modern" || model == "two-layer" ? ["--beta", "16"] : []
    let status = HebbianMain.run(
      [
        "hebbian", "recall", "--model", model, "--patterns", pp, "--cues", cp, "--dim", "64",
        "--output", op,
      ] + beta)
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

  @Test func optionsThatDoNotApplyToTheModelAreUsageErrors() {
    let pp = Self.temp("unused-p")
    Self.write(pp, [1, -1, 1, -1])
    for (model, extra) in [
      ("hopfield", ["--beta", "2"]), ("modern", ["--rule", "storkey"]),
      ("dense", ["--no-dale"]), ("normative", ["--lagrangian", "dense"]),
      ("two-layer", ["--iterations", "3"]), ("ei", ["--gain", "2"]),
      ("normative", ["--dale", "--no-dale"]),
      ("two-layer", ["--beta", "2", "--lagrangian", "dense"]),
      ("normative", ["--learning", "oja"]), ("two-layer", ["--tau-memory", "0"]),
    ] {
      let status = HebbianMain.run(
        [
          "hebbian", "recall", "--model", model, "--patterns", pp, "--cues", pp, "--dim", "4",
          "--output", Self.temp("unused-o"),
        ] + extra)
      #expect(status == 2, "\(model) \(extra)")
    }
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

  /// Runs the CLI with its standard output sent to a file; returns the status and the text.
  static func captured(_ args: [String]) -> (Int32, String) {
    let path = temp("stdout-\(args.count)-\(args.last ?? "")")
    FileManager.default.createFile(atPath: path, contents: nil)
    let fd = open(path, O_WRONLY | O_TRUNC)
    fflush(nil)
    let saved = dup(1)
    dup2(fd, 1)
    let status = HebbianMain.run(args)
    fflush(nil)
    dup2(saved, 1)
    close(saved)
    close(fd)
    let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
    try? FileManager.default.removeItem(atPath: path)
    return (status, text)
  }

  /// The number after "<label>: alpha_c (overlap >= 0.9): ", nil when the line says the
  /// sweep did not bracket it.
  static func alphaC(_ text: String, _ label: String) -> Double? {
    let key = "\(label): alpha_c (overlap >= 0.9): "
    for line in text.split(separator: "\n") where line.hasPrefix(key) {
      let rest = line.dropFirst(key.count).prefix { $0 != " " }
      return Double(rest)
    }
    return nil
  }

  @Test func capacityPrintsTheLiteraturesAlphaC() {
    // N = 500, loads 0.10 … 0.20, 3 sequences × 20 probes, started at the patterns: the
    // Hebbian network's α_c must be the literature's 0.138 within [0.12, 0.16] (measured
    // 0.142 here, 0.137 at N = 1000).
    let (status, text) = Self.captured([
      "hebbian", "capacity", "--model", "hopfield", "--dim", "500", "--from", "0.1", "--to",
      "0.2", "--step", "0.01", "--noise", "0",
    ])
    #expect(status == 0)
    let alpha = Self.alphaC(text, "hopfield")
    #expect(alpha.map { $0 >= 0.12 && $0 <= 0.16 } == true, "\(text)")
  }

  @Test func capacityOfTheInhibitoryNetworkExceedsTheClassical() {
    // N_E = 300 at f = 0.1 with the derived coefficients (`--search 1` scores the start and
    // the derived point and keeps the better): the E/I network's α_c is above the classical
    // 0.138 (measured 0.28 here, 0.32 at N = 500); the E-only network at the same f keeps
    // fewer than 90 % of its patterns already at the smallest load.
    let (status, text) = Self.captured([
      "hebbian", "capacity", "--model", "ei,e-only", "--dim", "300", "--from", "0.05", "--to",
      "0.5", "--step", "0.05", "--trials", "2", "--probes", "10", "--noise", "0", "--search",
      "1",
    ])
    #expect(status == 0)
    let ei = Self.alphaC(text, "ei")
    #expect(ei.map { $0 > 0.138 } == true, "\(text)")
    #expect(text.contains("e-only: alpha_c (overlap >= 0.9): below the smallest load"), "\(text)")
    #expect(text.contains("ei: search best"))
    // The control runs beside the E/I network unless refused: the signed covariance network,
    // which the E/I network emulates, must also be far above the classical network here.
    let cov = Self.alphaC(text, "cov-activity")
    #expect(cov.map { $0 > 0.138 } == true, "\(text)")
    #expect(text.contains("E/I against the signed covariance baseline: alpha_c ei "), "\(text)")
    #expect(
      HebbianMain.run([
        "hebbian", "capacity", "--model", "hopfield", "--dim", "10", "--no-baseline",
      ])
        == 2)
    #expect(
      HebbianMain.run([
        "hebbian", "capacity", "--model", "hopfield", "--dim", "10", "--inhibitory", "2",
      ])
        == 2)
    #expect(
      HebbianMain.run(["hebbian", "capacity", "--model", "ei", "--dim", "10", "--degree", "2"]) == 2
    )
  }
}
