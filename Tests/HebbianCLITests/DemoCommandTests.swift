import Hebbian
import Testing

@testable import HebbianCLI

@Suite struct DemoCommandTests {
  /// The stream's stated true subspace is the one its samples have: top-3 eigenvectors of the
  /// sample covariance of 50k samples (centred) against `trueSubspace`. Sampling error of a
  /// covariance over ~900 strides plus the neglected drift: ~1e-4; bar 1e-2.
  @Test func imuStreamHasTheStatedSubspace() throws {
    var stream = DemoCommand.IMUStream(seed: 1)
    let d = 6
    let n = 50_000
    var x = [Float](repeating: 0, count: d)
    var sum = [Double](repeating: 0, count: d)
    var cross = [Double](repeating: 0, count: d * d)
    for _ in 0..<n {
      x.withUnsafeMutableBufferPointer { stream.next(into: $0.baseAddress!) }
      for i in 0..<d {
        sum[i] += Double(x[i])
        for j in 0..<d { cross[i * d + j] += Double(x[i]) * Double(x[j]) }
      }
    }
    var c = [Double](repeating: 0, count: d * d)
    for i in 0..<d {
      for j in 0..<d { c[i * d + j] = cross[i * d + j] / Double(n) - sum[i] * sum[j] / Double(n * n) }
    }
    let eig = try SymmetricEigen(matrix: c, size: d)
    let empirical = (0..<(3 * d)).map { Float(eig.vectors[$0]) }
    let truth = stream.trueSubspace(components: 3)
    #expect(try Subspace.error(empirical, components: 3, reference: truth, components: 3, dimension: d) < 1e-2)
    // Gravity shows up as the mean of the vertical accelerometer axis.
    #expect(abs(sum[2] / Double(n) - 9.81) < 0.05)
  }

  /// Every rule, with the defaults and centring, on 20k samples (200 s of walking): subspace
  /// error below 1e-2 (the release demo's 200k samples reach ~1e-6).
  @Test func everyRuleFindsTheGaitSubspace() throws {
    var stream = DemoCommand.IMUStream(seed: 1)
    let n = 20_000
    var data = [Float](repeating: 0, count: n * 6)
    data.withUnsafeMutableBufferPointer { b in for s in 0..<n { stream.next(into: b.baseAddress! + s * 6) } }
    for rule in OnlinePCA.Rule.allCases {
      let k = rule == .oja ? 1 : 3
      var pca = try OnlinePCA(dimension: 6, components: k, rule: rule, centering: true)
      data.withUnsafeBufferPointer { b in for s in 0..<n { pca.unsafeUpdate(b.baseAddress! + s * 6) } }
      let e = try pca.subspaceError(reference: stream.trueSubspace(components: k), components: k)
      #expect(e < 1e-2, "\(rule.name): \(e)")
    }
  }

  @Test func demoRunsAndWritesItsFiles() throws {
    let dir = temporaryDirectory()
    let status = HebbianMain.run([
      "hebbian", "demo", "--samples", "3000", "--plot", dir + "/d.svg", "--save-stream", dir + "/s.csv",
      "--save-truth", dir + "/t.f32",
    ])
    #expect(status == 0)
    #expect(try Files.readAll(dir + "/t.f32").count == 3 * 6 * 4)
    #expect(try Files.readAll(dir + "/s.csv").filter { $0 == 10 }.count == 3001)  // header + rows
    #expect(try Files.readAll(dir + "/d.svg").count > 1000)
    #expect(HebbianMain.run(["hebbian", "demo", "--components", "7"]) == 2)
  }
}
