import Foundation
import Glibc
import Hebbian
import Testing

@testable import HebbianCLI

/// What the deploy commands promise: the library's scores, pca's sample contract, stdout by
/// default, `--quiet` meaning errors only, statistics that say what they are, and messages
/// that quote what they were given without letting it rewrite the terminal.
@Suite(.serialized) struct SemanticsTests {
  /// A 6-column CSV log (timestamp in column 1, 5 features) and a GHA model learned from it.
  func learned(samples n: Int = 3000) throws -> (dir: String, log: String, model: String) {
    let dir = temporaryDirectory()
    let x = seededStream(samples: n, dimension: 5, seed: 41)
    var text = "t,a,b,c,d,e\n"
    for s in 0..<n {
      text += "\(1000 + s)," + (0..<5).map { "\(x[s * 5 + $0])" }.joined(separator: ",") + "\n"
    }
    writeText(dir + "/log.csv", text)
    let r = try spawnHebbian(
      [
        "pca", "--input", dir + "/log.csv", "--columns", "2-6", "--components", "2", "--center",
        "--save-model", dir + "/m.hbm",
      ], in: dir)
    #expect(r.status == 0, "\(r.stderr)")
    return (dir, dir + "/log.csv", dir + "/m.hbm")
  }

  /// apply prints what the library's PCABasis.score returns, bit for bit.
  @Test func applyPrintsTheLibraryScores() throws {
    let (dir, log, model) = try learned()
    let a = try spawnHebbian(
      ["apply", "--model", model, "--input", log, "--columns", "2-6", "--residual", "--quiet"],
      in: dir)
    #expect(a.status == 0 && a.stderr.isEmpty, "\(a.stderr)")
    let pca = try OnlinePCA(restoring: ModelFile(decoding: fileBytes(model)!))
    let basis = try pca.basis
    let lines = a.stdout.split(separator: "\n")
    let rows = String(decoding: fileBytes(log)!, as: UTF8.self).split(separator: "\n").dropFirst()
    #expect(lines.count == rows.count)
    var y = [Float](repeating: 0, count: 2)
    for (line, row) in zip(lines, rows).prefix(200) {
      let x = row.split(separator: ",").dropFirst().map { Float($0)! }
      var out = y.mutableSpan
      let r = try basis.score(x.span, into: &out)
      let want = [out[0], out[1], r].map { Fmt.shortest($0) }.joined(separator: ",")
      #expect(String(line) == want)
    }
    y[0] = 0
  }

  @Test func applyAndExportWriteToStdoutWithoutOutput() throws {
    let (dir, log, model) = try learned(samples: 400)
    let a = try spawnHebbian(
      ["apply", "--model", model, "--input", log, "--columns", "2-6", "--id-column", "1"], in: dir)
    #expect(a.status == 0)
    let first = a.stdout.split(separator: "\n").first ?? ""
    #expect(first.hasPrefix("1000,") && first.split(separator: ",").count == 3)
    #expect(a.stderr.hasPrefix("apply: 400 samples scored"))
    let e = try spawnHebbian(["export", "--model", model], in: dir)
    #expect(e.status == 0)
    let json = try JSONSerialization.jsonObject(with: Data(e.stdout.utf8)) as! [String: Any]
    #expect(json["version"] as? Int == 2)
    #expect((json["running_variances"] as! [Double]).count == 2)
    #expect(json["variances"] == nil)
  }

  /// pca's sample contract: a sample beyond the norm range fails naming its line (it would
  /// have printed inf); NaN fails unless --skip-nonfinite, which counts it on stderr; a forged
  /// mean of 3e38 fails at load instead of printing inf.
  @Test func applyAppliesTheSampleContractAndNeverPrintsInf() throws {
    let (dir, _, model) = try learned(samples: 400)
    let huge = try spawnHebbian(
      ["apply", "--model", model, "--input", "-", "--residual"],
      stdin: Array("1,1,1,1,1\n1e20,1e20,1e20,1e20,1e20\n".utf8), in: dir)
    #expect(huge.status == 1)
    #expect(huge.stderr.hasPrefix("hebbian apply: error: <stdin>:2: the sample's squared norm"))
    #expect(!huge.stdout.contains("inf"))
    let glitch = Array("1,1,1,1,1\n1,nan,1,1,1\n2,2,2,2,2\n".utf8)
    let strict = try spawnHebbian(["apply", "--model", model], stdin: glitch, in: dir)
    #expect(strict.status == 1 && strict.stderr.contains("<stdin>:2:3"))
    let live = try spawnHebbian(
      ["apply", "--model", model, "--skip-nonfinite"], stdin: glitch, in: dir)
    #expect(live.status == 0)
    #expect(live.stdout.split(separator: "\n").count == 2)
    #expect(live.stderr.contains("; 1 skipped (NaN or infinity)"))
    // The model's mean forged to 3e38 (CRC recomputed by the encoder).
    var file = try ModelFile(decoding: fileBytes(model)!)
    for i in file.arrays.indices where file.arrays[i].name == "mean" {
      file.arrays[i].value[0] = 3e38
    }
    try Files.write(dir + "/forged.hbm", file.encoded())
    let forged = try spawnHebbian(
      ["apply", "--model", dir + "/forged.hbm", "--residual"],
      stdin: Array("1,1,1,1,1\n".utf8), in: dir)
    #expect(forged.status == 1)
    #expect(forged.stderr.contains("forged.hbm: PCABasis: the mean is outside the range"))
    #expect(forged.stdout.isEmpty)
    let export = try spawnHebbian(["export", "--model", dir + "/forged.hbm"], in: dir)
    #expect(export.status == 1 && export.stdout.isEmpty)
  }

  /// --quiet: nothing on stderr but errors, in every command.
  @Test func quietMeansErrorsOnly() throws {
    let (dir, log, model) = try learned(samples: 400)
    let cases: [[String]] = [
      ["apply", "--model", model, "--input", log, "--columns", "2-6", "--quiet"],
      ["pca", "--input", log, "--columns", "2-6", "--project", "-", "--quiet"],
      ["demo", "--samples", "2000", "--quiet"],
      ["stdp", "window", "--range", "20", "--spacing", "10", "--quiet"],
      ["learn", "--rule", "covariance", "--input", log, "--columns", "2-6", "--quiet"],
      ["export", "--model", model, "--quiet"],
    ]
    for args in cases {
      let r = try spawnHebbian(args, in: dir)
      #expect(r.stderr.isEmpty, "\(args[0]): \(r.stderr)")
    }
    let bad = try spawnHebbian(["apply", "--model", dir + "/none.hbm", "--quiet"], in: dir)
    #expect(bad.status == 1 && bad.stderr.hasPrefix("hebbian apply: error: "))
  }

  /// learn reads a logger's file as pca does: delimiter, feature columns, id column.
  @Test func learnReadsLogsLikePCA() throws {
    let dir = temporaryDirectory()
    let x = seededStream(samples: 500, dimension: 3, seed: 5)
    var plain = ""
    var log = "time;a;b;c;note\n"
    for s in 0..<500 {
      let v = (0..<3).map { "\(x[s * 3 + $0])" }
      plain += v.joined(separator: ",") + "\n"
      log += "t\(s);" + v.joined(separator: ";") + ";x\n"
    }
    writeText(dir + "/plain.csv", plain)
    writeText(dir + "/log.csv", log)
    let a = try spawnHebbian(["learn", "--rule", "instar", "--input", dir + "/plain.csv"], in: dir)
    let b = try spawnHebbian(
      [
        "learn", "--rule", "instar", "--input", dir + "/log.csv", "--delimiter", ";",
        "--columns", "2-4", "--id-column", "1",
      ], in: dir)
    #expect(a.status == 0 && b.status == 0, "\(b.stderr)")
    func weights(_ s: String) -> [Substring] {
      s.split(separator: "\n").filter { !$0.hasPrefix("input") }
    }
    #expect(weights(a.stdout) == weights(b.stdout))
    let f32 = try spawnHebbian(
      ["learn", "--rule", "oja", "--input", dir + "/x.f32", "--dim", "3", "--columns", "1-2"],
      in: dir)
    #expect(f32.status == 2)
  }

  @Test func messagesSayWhatWasGivenAndEscapeControlCharacters() throws {
    let (dir, log, model) = try learned(samples: 400)
    // No phantom --dim: the dimension came from the model.
    let cont = try spawnHebbian(
      ["pca", "--continue", model, "--input", log, "--columns", "2-5"], in: dir)
    #expect(
      cont.stderr
        == "hebbian pca: error: --columns selects 4 columns, but --continue \(model) has dimension 5\n")
    let apply = try spawnHebbian(
      ["apply", "--model", model, "--input", log, "--columns", "2-5"], in: dir)
    #expect(
      apply.stderr
        == "hebbian apply: error: --columns selects 4 columns, but the model \(model) has dimension 5\n")
    // A CR and an escape sequence inside a field are spelled out, never sent raw.
    writeText(dir + "/cr.csv", "1,2\n3,x\r\u{1b}[2J\n")
    let cr = try spawnHebbian(["pca", "--input", dir + "/cr.csv"], in: dir)
    #expect(cr.status == 1)
    #expect(!cr.stderr.utf8.contains(13) && !cr.stderr.utf8.contains(27))
    #expect(cr.stderr.contains("\\x1b"))
    // A NUL in a model's kind.
    var file = try ModelFile(decoding: fileBytes(model)!)
    file.kind = "pca.g\u{0}ha"
    try Files.write(dir + "/nul.hbm", file.encoded())
    let nul = try spawnHebbian(["export", "--model", dir + "/nul.hbm"], in: dir)
    #expect(nul.status == 1 && !nul.stderr.utf8.contains(0) && nul.stderr.contains("g\\0ha"))
    #expect(Console.escaped("a\rb\u{0}c\td\u{7f}", keepNewlines: false) == "a\\rb\\0c\td\\x7f")
    // Advice names only options the model reads.
    try Files.write(dir + "/p.f32", f32Bytes([1, -1, 1, -1, 1, 1, -1, -1]))
    let normative = try spawnHebbian(
      [
        "recall", "--model", "normative", "--patterns", dir + "/p.f32", "--dim", "4", "--cues",
        dir + "/p.f32", "--output", dir + "/r.f32", "--dt", "1e30",
      ], in: dir)
    #expect(!normative.stderr.contains("--beta") && !normative.stderr.contains("--degree"))
    // Text labels are named as labels; column 0 as out of range.
    writeText(dir + "/labels.csv", "a,1,2\nb,2,3\na,3,4\n")
    let zero = try spawnHebbian(
      ["competing", "--input", dir + "/labels.csv", "--label-column", "0"], in: dir)
    #expect(
      zero.stderr == "hebbian competing: error: --label-column: 0 is outside 1…3 (the file's columns)\n")
    let text = try spawnHebbian(
      ["competing", "--input", dir + "/labels.csv", "--label-column", "1"], in: dir)
    #expect(text.status == 1 && text.stderr.contains("label 'a' is not a number"))
    // A column number past 2^32 gets the same words on every target (64-bit parsing).
    let id = try spawnHebbian(
      ["pca", "--input", log, "--id-column", "4294967297", "--project", dir + "/p.csv"], in: dir)
    #expect(id.status == 2)
    #expect(id.stderr == "hebbian pca: error: --id-column: at most 262145, got 4294967297\n")
  }

  /// pca says what its figures are, checks the order an ordered rule promises and warns when
  /// it does not hold; export claims "ordered" only when it was verified.
  @Test func pcaReportsAndVerifiesOrder() throws {
    let (dir, log, model) = try learned()
    let fine = try spawnHebbian(
      ["pca", "--input", log, "--columns", "2-6", "--components", "2", "--center"], in: dir)
    #expect(fine.stdout.contains("(the saved components, measured on the input)"))
    #expect(fine.stdout.contains("order                 verified"))
    #expect(fine.stderr.isEmpty)
    let e = try spawnHebbian(["export", "--model", model], in: dir)
    #expect(e.stdout.contains("\"ordered\": true"))
    // The model continued on a log whose correlations changed (features reversed).
    let rows = String(decoding: fileBytes(log)!, as: UTF8.self).split(separator: "\n")
    var changed = String(rows[0]) + "\n"
    for row in rows.dropFirst().prefix(150) {
      let f = row.split(separator: ",")
      changed += ([f[0]] + f.dropFirst().reversed()).joined(separator: ",") + "\n"
    }
    writeText(dir + "/changed.csv", changed)
    let c = try spawnHebbian(
      [
        "pca", "--input", dir + "/changed.csv", "--columns", "2-6", "--continue", model,
        "--save-model", dir + "/c.hbm", "--eta", "40",
      ], in: dir)
    #expect(c.status == 0, "\(c.stderr)")
    #expect(c.stdout.contains("order                 NOT verified"), "\(c.stdout)")
    #expect(c.stderr.hasPrefix("pca: warning: "))
    let ce = try spawnHebbian(["export", "--model", dir + "/c.hbm"], in: dir)
    #expect(ce.stdout.contains("\"ordered\": false"))
    // From a stream the figures are running estimates, and say so.
    let piped = try spawnHebbian(
      ["pca", "--input", "-", "--components", "2", "--center"],
      stdin: Array(
        rows.dropFirst().map { $0.split(separator: ",").dropFirst().joined(separator: ",") }
          .joined(separator: "\n").utf8), in: dir)
    #expect(piped.stdout.contains("(running estimate of the learner's outputs"))
  }

  /// The printed explained variance of the saved subspace is never above the best share of
  /// any subspace of that size on the same data (the top-k eigenvalues of its covariance).
  @Test func explainedVarianceIsNeverAboveWhatIsPossible() throws {
    let (dir, log, _) = try learned(samples: 400)
    let rows = String(decoding: fileBytes(log)!, as: UTF8.self).split(separator: "\n").dropFirst()
    let x = rows.map { $0.split(separator: ",").dropFirst().map { Double($0)! } }
    let n = Double(x.count)
    var mean = [Double](repeating: 0, count: 5)
    for r in x { for j in 0..<5 { mean[j] += r[j] / n } }
    var cov = [Double](repeating: 0, count: 25)
    for r in x { for a in 0..<5 { for b in 0..<5 { cov[a * 5 + b] += (r[a] - mean[a]) * (r[b] - mean[b]) / n } } }
    let eig = try SymmetricEigen(matrix: cov, size: 5)
    let trace = (0..<5).reduce(0.0) { $0 + cov[$1 * 6] }
    for k in 1...4 {
      let r = try spawnHebbian(
        [
          "pca", "--input", log, "--columns", "2-6", "--components", "\(k)", "--rule", "subspace",
          "--center",
        ], in: dir)
      let line = r.stdout.split(separator: "\n").first { $0.hasPrefix("explained variance") }!
      let printed = Double(line.split(separator: " ", omittingEmptySubsequences: true)[2])!
      let best = eig.values[0..<k].reduce(0, +) / trace
      #expect(printed <= best + 5e-5, "k=\(k): printed \(printed), best possible \(best)")
    }
  }
  /// A file's summary gives the saved basis' score variances over the whole file, whether
  /// they come from the moments of the learning pass (small d), from a second reading
  /// (larger d) or from a second reading after --max-samples cut the pass short.
  @Test func measuredVariancesAreTheSavedBasisScoresOverTheWholeFile() throws {
    let dir = temporaryDirectory()
    for (d, extra) in [(5, [String]()), (5, ["--max-samples", "700"]), (17, [])] {
      let n = 1500
      let x = seededStream(samples: n, dimension: d, seed: 7)
      var text = ""
      for s in 0..<n {
        // An offset far from zero: the moments must not lose the variance to cancellation.
        text += (0..<d).map { "\(x[s * d + $0] + 1000)" }.joined(separator: ",") + "\n"
      }
      let log = dir + "/w\(d).csv"
      writeText(log, text)
      let r = try spawnHebbian(
        ["pca", "--input", log, "--components", "2", "--rule", "subspace", "--center",
         "--save-model", dir + "/w.hbm"] + extra, in: dir)
      #expect(r.status == 0, "\(r.stderr)")
      let basis = try OnlinePCA(restoring: ModelFile(decoding: fileBytes(dir + "/w.hbm")!)).basis
      var mean = [Double](repeating: 0, count: d)
      for s in 0..<n { for j in 0..<d { mean[j] += Double(x[s * d + j] + 1000) / Double(n) } }
      var total = 0.0
      var variances = [0.0, 0.0]
      for s in 0..<n {
        for j in 0..<d {
          let e = Double(x[s * d + j] + 1000) - mean[j]
          total += e * e / Double(n)
        }
        for i in 0..<2 {
          var y = 0.0
          for j in 0..<d {
            y += Double(basis.components[i * d + j]) * (Double(x[s * d + j] + 1000) - mean[j])
          }
          variances[i] += y * y / Double(n)
        }
      }
      let lines = r.stdout.split(separator: "\n")
      let printed = lines.first { $0.hasPrefix("component variances") }!
        .split(separator: " ", omittingEmptySubsequences: true)[2...3].map { Double($0)! }
      for i in 0..<2 {
        #expect(abs(printed[i] - variances[i]) <= 1e-3 * variances[i], "d=\(d) \(extra) \(i)")
      }
      let explained = lines.first { $0.hasPrefix("explained variance") }!
        .split(separator: " ", omittingEmptySubsequences: true)[2]
      #expect(abs(Double(explained)! - variances.reduce(0, +) / total) <= 1e-4, "d=\(d) \(extra)")
    }
  }
}
