import Foundation
import Glibc
import Hebbian
import Testing

@testable import HebbianCLI

/// Deploying a learned model: `apply` scores new data with exactly the basis and mean that
/// `export` writes; `--continue` keeps training; a live pipe gets each answer at once.
@Suite(.serialized) struct DeployTests {
  func learned() throws -> (dir: String, input: String) {
    let dir = temporaryDirectory()
    try Files.write(
      dir + "/train.f32", f32Bytes(seededStream(samples: 3000, dimension: 5, seed: 31)))
    let r = try spawnHebbian(
      [
        "pca", "--input", dir + "/train.f32", "--dim", "5", "--components", "2", "--center",
        "--quiet", "--save-model", dir + "/m.hbm", "--save-components", dir + "/w.f32",
      ], in: dir)
    #expect(r.status == 0, "\(r.stderr)")
    return (dir, dir + "/train.f32")
  }

  /// apply's scores equal C (x − μ) computed from the exported JSON (to 1e-5 relative to the
  /// sample's scale), its residual equals ‖(x − μ) − Cᵀy‖², and C is the --save-components
  /// basis bit for bit.
  @Test func applyMatchesTheExportedModel() throws {
    let (dir, _) = try learned()
    let fresh = seededStream(samples: 200, dimension: 5, seed: 77)
    try Files.write(dir + "/new.f32", f32Bytes(fresh))
    let e = try spawnHebbian(
      ["export", "--model", dir + "/m.hbm", "--output", dir + "/m.json"], in: dir)
    #expect(e.status == 0, "\(e.stderr)")
    let a = try spawnHebbian(
      [
        "apply", "--model", dir + "/m.hbm", "--input", dir + "/new.f32", "--output",
        dir + "/y.csv", "--residual", "--quiet",
      ], in: dir)
    #expect(a.status == 0, "\(a.stderr)")
    let json =
      try JSONSerialization.jsonObject(with: Data(fileBytes(dir + "/m.json")!)) as! [String: Any]
    #expect(json["rule"] as? String == "gha")
    #expect(json["dimension"] as? Int == 5)
    #expect(json["samples"] as? Int == 3000)
    let c = (json["components"] as! [[Double]]).map { $0.map { Float($0) } }
    let mean = (json["mean"] as! [Double]).map { Float($0) }
    #expect((json["running_variances"] as! [Double]).count == 2)
    // The JSON's floats read back to the --save-components bits.
    let saved = fileBytes(dir + "/w.f32")!
    #expect(f32Bytes(c.flatMap { $0 }) == saved)
    let rows = String(decoding: fileBytes(dir + "/y.csv")!, as: UTF8.self).split(separator: "\n")
    #expect(rows.count == 200)
    var worst = 0.0
    for (s, row) in rows.enumerated() {
      let got = row.split(separator: ",").map { Double($0)! }
      #expect(got.count == 3)
      var xc = [Double](repeating: 0, count: 5)
      var scale = 0.0
      for j in 0..<5 {
        xc[j] = Double(fresh[s * 5 + j]) - Double(mean[j])
        scale += xc[j] * xc[j]
      }
      var residual = xc
      for i in 0..<2 {
        var y = 0.0
        for j in 0..<5 { y += Double(c[i][j]) * xc[j] }
        worst = max(worst, abs(got[i] - y) / max(scale.squareRoot(), 1))
        for j in 0..<5 { residual[j] -= y * Double(c[i][j]) }
      }
      let r2 = residual.reduce(0) { $0 + $1 * $1 }
      worst = max(worst, abs(got[2] - r2) / max(scale, 1))
    }
    #expect(worst < 1e-5, "worst relative difference \(worst)")
  }

  /// A live pipe: each line written to apply's stdin is answered on stdout before the next
  /// one is written (no 64 KiB buffering, no block of 256). The latency is measured and
  /// reported; the assertion is only that every answer arrives within a generous bound.
  @Test func livePipeAnswersEachLine() throws {
    let (dir, _) = try learned()
    let p = Process()
    p.executableURL = URL(fileURLWithPath: hebbianExecutable())
    p.arguments = ["apply", "--model", dir + "/m.hbm", "--input", "-", "--output", "-", "--quiet"]
    let toChild = Pipe()
    let fromChild = Pipe()
    p.standardInput = toChild
    p.standardOutput = fromChild
    try p.run()
    let reader = fromChild.fileHandleForReading.fileDescriptor
    var latencies: [Double] = []
    var values = seededStream(samples: 31, dimension: 5, seed: 3)
    for s in 0..<31 {
      let line = (0..<5).map { Fmt.shortest(values[s * 5 + $0]) }.joined(separator: ",") + "\n"
      let start = DispatchTime.now().uptimeNanoseconds
      toChild.fileHandleForWriting.write(Data(line.utf8))
      // Read until this sample's answer line is complete.
      var got: [UInt8] = []
      var pfd = pollfd(fd: reader, events: Int16(POLLIN), revents: 0)
      while !got.contains(10) {
        guard poll(&pfd, 1, 5000) > 0 else { break }
        var buf = [UInt8](repeating: 0, count: 256)
        let n = read(reader, &buf, 256)
        if n <= 0 { break }
        got += buf[0..<n]
      }
      #expect(got.last == 10, "sample \(s): no answer within 5 s")
      latencies.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
      usleep(10_000)  // 100 Hz
    }
    try toChild.fileHandleForWriting.close()
    p.waitUntilExit()
    #expect(p.terminationStatus == 0)
    latencies.sort()
    print("apply live pipe: median latency \(latencies[15]) ms, worst \(latencies[30]) ms")
    values.removeAll()
  }

  /// pca --project on a pipe answers each sample as it is learned, too.
  @Test func pcaProjectOnAPipeFlushesEachRow() throws {
    let dir = temporaryDirectory()
    let p = Process()
    p.executableURL = URL(fileURLWithPath: hebbianExecutable())
    p.arguments = ["pca", "--input", "-", "--components", "2", "--project", "-", "--quiet"]
    let toChild = Pipe()
    let fromChild = Pipe()
    p.standardInput = toChild
    p.standardOutput = fromChild
    p.standardError = FileHandle(forWritingAtPath: "/dev/null")
    try p.run()
    let fd = fromChild.fileHandleForReading.fileDescriptor
    let values = seededStream(samples: 10, dimension: 4, seed: 8)
    var answered = 0
    for s in 0..<10 {
      let line = (0..<4).map { Fmt.shortest(values[s * 4 + $0]) }.joined(separator: ",") + "\n"
      toChild.fileHandleForWriting.write(Data(line.utf8))
      var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
      var got: [UInt8] = []
      while !got.contains(10), poll(&pfd, 1, 5000) > 0 {
        var buf = [UInt8](repeating: 0, count: 256)
        let n = read(fd, &buf, 256)
        if n <= 0 { break }
        got += buf[0..<n]
      }
      if got.contains(10) { answered += 1 }
    }
    try toChild.fileHandleForWriting.close()
    p.waitUntilExit()
    #expect(answered == 10)
    _ = dir
  }

  @Test func conventions() throws {
    let (dir, input) = try learned()
    let v = try spawnHebbian(["--version"], in: dir)
    #expect(v.status == 0 && v.stdout == "hebbian \(hebbianVersion)\n")
    #expect(try spawnHebbian(["-V"], in: dir).stdout == v.stdout)
    let h = try spawnHebbian(["help", "pca"], in: dir)
    #expect(h.status == 0 && h.stdout.hasPrefix("usage: hebbian pca [options]"))
    let mode = try spawnHebbian(["stdp", "balance", "--help"], in: dir)
    #expect(mode.stdout.hasPrefix("usage: hebbian stdp balance [options]"))
    #expect(mode.stdout.contains("--modulation") && !mode.stdout.contains("--pairing"))
    let info = try spawnHebbian(["info", "--help"], in: dir)
    // Every command takes --quiet (errors only on stderr).
    #expect(info.stdout.contains("  --quiet   nothing on stderr but errors\n  --help    show this help\n"))
    // `--` ends the options.
    #expect(try spawnHebbian(["stdp", "--", "window", "--range", "20"], in: dir).status == 2)
    // Formats follow the extension or are refused.
    let png = try spawnHebbian(
      ["pca", "--input", input, "--dim", "5", "--quiet", "--plot", dir + "/x.png"], in: dir)
    #expect(
      png.stderr
        == "hebbian pca: error: --plot \(dir)/x.png: writes an SVG drawing; name the file .svg\n")
    let truth = try spawnHebbian(
      ["demo", "--samples", "100", "--save-truth", dir + "/t.csv"], in: dir)
    #expect(
      truth.stderr
        == "hebbian demo: error: --save-truth \(dir)/t.csv: writes raw float32; name the file .f32\n"
    )
    let json = try spawnHebbian(
      ["export", "--model", dir + "/m.hbm", "--output", dir + "/m.txt"], in: dir)
    #expect(json.status == 2)
    // A reference of another width.
    try Files.write(dir + "/ref.f32", f32Bytes([Float](repeating: 0.5, count: 5 * 200)))
    let ref = try spawnHebbian(
      ["pca", "--input", input, "--dim", "5", "--quiet", "--reference", dir + "/ref.f32"], in: dir)
    #expect(ref.status == 2)
    #expect(ref.stderr.contains("a basis has at most 5 rows"))
    // Options that do not apply are errors naming the option.
    let batch = try spawnHebbian(
      ["pca", "--input", input, "--dim", "5", "--rule", "fsm", "--batch", "4"], in: dir)
    #expect(
      batch.stderr.hasPrefix(
        "hebbian pca: error: --batch: mini-batches apply to oja, subspace and gha"))
    let cols = try spawnHebbian(
      ["pca", "--input", input, "--dim", "5", "--columns", "1-3"], in: dir)
    #expect(cols.stderr == "hebbian pca: error: --columns: applies to CSV input, not f32\n")
    let load = try spawnHebbian(
      ["train-plastic", "--load", dir + "/m.hbm", "--rule", "oja"], in: dir)
    #expect(load.status == 2 && load.stderr.contains("--rule: does not apply with --load"))
    // apply against a model of another dimension.
    let wrong = try spawnHebbian(
      ["apply", "--model", dir + "/m.hbm", "--input", input, "--dim", "6", "--output", "-"], in: dir
    )
    #expect(
      wrong.stderr == "hebbian apply: error: --dim 6: the model \(dir)/m.hbm has dimension 5\n")
  }
}
