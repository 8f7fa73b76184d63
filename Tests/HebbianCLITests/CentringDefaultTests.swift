import Hebbian
import Testing

@testable import HebbianCLI

/// `pca` centres by default: on data far from the origin an uncentred rule spends its first
/// component on the mean, which is what a user who typed only the shape would get otherwise.
@Suite struct CentringDefaultTests {
  /// 4000 samples of m + a u + noise: m = (20, 20, 20, 20) dominates the raw second moment,
  /// u = (1, -1, 0, 0)/√2 carries all the variance (a ~ 3 N(0, 1)).
  func offsetCSV() -> String {
    var rng = SeededGenerator(seed: 7)
    var text = ""
    for _ in 0..<4000 {
      let a = 3 * rng.gaussian()
      var row: [String] = []
      for j in 0..<4 {
        let signal = j == 0 ? a / 2.0.squareRoot() : (j == 1 ? -a / 2.0.squareRoot() : 0)
        row.append("\(20 + signal + 0.05 * rng.gaussian())")
      }
      text += row.joined(separator: ",") + "\n"
    }
    return text
  }

  func learn(_ extra: [String], dir: String) throws -> (centering: Bool, alignment: Double) {
    let status = HebbianMain.run(
      ["hebbian", "pca", "--input", dir + "/x.csv", "--rule", "oja", "--save-model",
       dir + "/m.hbm", "--quiet"] + extra)
    #expect(status == 0)
    let pca = try OnlinePCA(restoring: ModelFile(decoding: Files.readAll(dir + "/m.hbm")))
    let w = pca.components(orthonormalized: true)
    // |cos| between the learned row and u.
    return (pca.centering, abs(Double(w[0] - w[1])) / 2.0.squareRoot())
  }

  @Test func theDefaultCentresAndNoCenterDoesNot() throws {
    let dir = temporaryDirectory()
    writeText(dir + "/x.csv", offsetCSV())
    let byDefault = try learn([], dir: dir)
    #expect(byDefault.centering)
    #expect(byDefault.alignment > 0.99, "default: |cos(w, u)| = \(byDefault.alignment)")
    let explicit = try learn(["--center"], dir: dir)
    #expect(explicit.centering && explicit.alignment == byDefault.alignment)
    let raw = try learn(["--no-center"], dir: dir)
    #expect(!raw.centering)
    // Uncentred, the first component is the mean's direction (1, 1, 1, 1)/2, orthogonal to u.
    #expect(raw.alignment < 0.1, "--no-center: |cos(w, u)| = \(raw.alignment)")
  }

  @Test func contradictoryCentringOptionsAreRefused() throws {
    let dir = temporaryDirectory()
    writeText(dir + "/x.csv", offsetCSV())
    #expect(
      HebbianMain.run([
        "hebbian", "pca", "--input", dir + "/x.csv", "--center", "--no-center", "--quiet",
      ]) == 2)
    // A model learned without centring continues without it, and refuses --center; a centred
    // one refuses --no-center.
    _ = try learn(["--no-center"], dir: dir)
    for (flag, status) in [("--center", Int32(2)), ("--no-center", 0)] {
      #expect(
        HebbianMain.run([
          "hebbian", "pca", "--input", dir + "/x.csv", "--continue", dir + "/m.hbm", flag,
          "--quiet",
        ]) == status, "\(flag)")
    }
    _ = try learn([], dir: dir)
    #expect(
      HebbianMain.run([
        "hebbian", "pca", "--input", dir + "/x.csv", "--continue", dir + "/m.hbm", "--no-center",
        "--quiet",
      ]) == 2)
  }
}
