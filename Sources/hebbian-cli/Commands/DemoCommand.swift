import CHebbianSys
import Hebbian

/// `hebbian demo`: the built-in default. A synthetic 6-axis IMU stream (gait-like periodic
/// motion through a fixed mixing, gravity, sensor noise, slow bias drift) generated from a
/// seed, streamed through every online PCA rule; one table row per rule. The stream is
/// regenerated from the seed for each rule (and for --save-stream) a chunk at a time, so the
/// memory used does not grow with --samples.
enum DemoCommand {
  static let command = Command(
    name: "demo",
    summary: "Run every online PCA rule on a synthetic 6-axis IMU stream and print a table.",
    options: [
      DemoOptions.samples,
      DemoOptions.components,
      DemoOptions.seed,
      DemoOptions.plot,
      DemoOptions.saveStream,
      DemoOptions.saveTruth,
    ],
    run: { (o: ParsedOptions) throws(CLIError) in try run(o) }
  )

  static func run(_ o: ParsedOptions) throws(CLIError) {
    let n = try o.int(DemoOptions.samples, default: 200_000, min: 100)
    let k = try o.int(DemoOptions.components, default: 3, min: 1)
    if k > IMUStream.axes { throw .usage("--components: must be <= \(IMUStream.axes), got \(k)") }
    let seed = UInt64(truncatingIfNeeded: try o.int(DemoOptions.seed, default: 1))
    let d = IMUStream.axes

    let truth = IMUStream(seed: seed).trueSubspace(components: k)
    if let path = o.string(DemoOptions.saveStream) { try saveStream(o, path, seed: seed, n: n, d) }
    if let path = o.string(DemoOptions.saveTruth) { try saveF32(o, path, truth) }

    Console.errLine(
      "demo: \(n) samples of a synthetic 6-axis IMU (100 Hz gait, gravity, noise, drift), seed \(seed)"
    )
    var table =
      Fmt.padRight("rule", 12) + Fmt.pad("k", 3) + Fmt.pad("samples", 10)
      + Fmt.pad("subspace err", 14) + Fmt.pad("orthonorm err", 15) + Fmt.pad("ns/sample", 11) + "\n"
    var series: [SVGPlot.Series] = []
    for rule in OnlinePCA.Rule.allCases {
      let kr = rule == .oja ? 1 : k
      let reference = Array(truth[0..<(kr * d)])
      var pca: OnlinePCA
      do throws(HebbianError) {
        pca = try OnlinePCA(
          dimension: d, components: kr, rule: rule, centering: true, seed: seed &+ 1)
      } catch {
        throw .data(error.message)
      }
      var points: [(x: Double, y: Double)] = []
      var ns: UInt64 = 0
      var done = 0
      var next = 100
      var stream = IMUStream(seed: seed)
      let chunk = UnsafeMutablePointer<Float>.allocate(capacity: Self.chunk * d)
      defer { chunk.deallocate() }
      while done < n {
        let stop = Swift.min(next, n)
        while done < stop {
          // Generated outside the timed loop: ns/sample is the update alone.
          let m = Swift.min(Self.chunk, stop - done)
          for s in 0..<m { stream.next(into: chunk + s * d) }
          let t0 = hb_sys_monotonic_ns()
          for s in 0..<m { pca.unsafeUpdate(chunk + s * d) }
          ns &+= hb_sys_monotonic_ns() &- t0
          done += m
        }
        let e = (try? pca.subspaceError(reference: reference, components: kr)) ?? .nan
        // x is log10(samples): convergence spans decades.
        points.append((Math.log(Double(done)) / Math.log(10.0), e))
        next = done + Swift.max(100, done / 8)
      }
      let e = points.last!.y
      series.append(SVGPlot.Series(name: rule.name + (kr == 1 ? " (k=1)" : ""), points: points))
      table +=
        Fmt.padRight(rule.name, 12) + Fmt.pad("\(kr)", 3) + Fmt.pad("\(n)", 10)
        + Fmt.pad(Fmt.sci(e, 2), 14) + Fmt.pad(Fmt.sci(pca.orthonormalityError(), 2), 15)
        + Fmt.pad(Fmt.fixed(Double(ns) / Double(n), 1), 11) + "\n"
      Console.errLine("demo: \(rule.name) done")
    }
    Console.out(table)
    Console.outLine(
      "subspace err = |UU^T - VV^T|_F^2 / |VV^T|_F^2 against the stream's true top-k subspace;"
        + " isa \(ISA.active.name)")
    if let path = o.string(DemoOptions.plot) {
      let svg = SVGPlot.render(
        title: "hebbian demo: 6-axis IMU, subspace error", xLabel: "log10(samples)",
        yLabel: "subspace error", series: series, logY: true)
      try o.outputs.write(path, Array(svg.utf8), option: DemoOptions.plot.name)
      Console.outLine("plot written to \(path)")
    }
    Console.errLine("demo: peak RSS \(hb_sys_peak_rss_kib()) KiB")
  }

  static func saveF32(_ o: ParsedOptions, _ path: String, _ values: [Float]) throws(CLIError) {
    var bytes: [UInt8] = []
    bytes.reserveCapacity(values.count * 4)
    for v in values {
      withUnsafeBytes(of: v.bitPattern.littleEndian) { bytes.append(contentsOf: $0) }
    }
    try o.outputs.write(path, bytes, option: DemoOptions.saveTruth.name)
  }

  /// Samples generated and learned per chunk.
  static let chunk = 1024

  static func saveStream(_ o: ParsedOptions, _ path: String, seed: UInt64, n: Int, _ d: Int)
    throws(CLIError)
  {
    var out = try OutputFile(
      target: try o.outputs.target(path, option: DemoOptions.saveStream.name), session: o.outputs)
    let raw = SampleReader.Format.guess(path) == .f32
    if !raw { try out.write("ax,ay,az,gx,gy,gz\n") }
    var stream = IMUStream(seed: seed)
    let chunk = UnsafeMutablePointer<Float>.allocate(capacity: Self.chunk * d)
    defer { chunk.deallocate() }
    var done = 0
    while done < n {
      let m = Swift.min(Self.chunk, n - done)
      for s in 0..<m { stream.next(into: chunk + s * d) }
      if raw {
        try out.write(floats: UnsafeBufferPointer(start: chunk, count: m * d))
      } else {
        for s in 0..<m {
          var line = ""
          for j in 0..<d { line += (j == 0 ? "" : ",") + Fmt.shortest(chunk[s * d + j]) }
          try out.write(line + "\n")
        }
      }
      done += m
    }
    try out.close()
  }

  /// A body-worn IMU during walking, at 100 Hz: accelerometer (m/s²) and gyroscope (rad/s).
  /// Three latent gait signals — the stride fundamental as sin φ and cos φ and its second
  /// harmonic sin 2φ, with the step rate wandering slowly around 1.8 Hz — reach the six
  /// axes through a fixed mixing matrix A (6×3, from the seed). Add gravity on the
  /// accelerometer, white sensor noise, and a slow gyro bias drift.
  ///
  /// Over whole strides the three signals are uncorrelated with variances a_i²/2, so the
  /// covariance is C = A diag(a²/2) Aᵀ + diag(σ²) (+ the drift's, below 1e-3 of the signal):
  /// its top-k eigenvectors are the true subspace.
  struct IMUStream {
    static let axes = 6
    static let rate = 100.0
    static let amplitudes: [Double] = [2.0, 1.2, 0.6]
    static let noise: [Double] = [0.05, 0.05, 0.05, 0.02, 0.02, 0.02]
    var mixing: [Double]  // 6×3
    var rng: SeededGenerator
    var phase = 0.0
    var frequency = 1.8
    var t = 0

    init(seed: UInt64) {
      rng = SeededGenerator(seed: seed)
      mixing = [Double](repeating: 0, count: 18)
      for i in 0..<18 { mixing[i] = rng.gaussian() / 3.0.squareRoot() }
    }

    mutating func next(into x: UnsafeMutablePointer<Float>) {
      // Step rate: an Ornstein–Uhlenbeck wander of ±0.1 Hz around 1.8 Hz.
      frequency += 0.001 * (1.8 - frequency) + 0.003 * rng.gaussian()
      phase += 2 * Double.pi * frequency / Self.rate
      if phase > 2 * Double.pi { phase -= 2 * Double.pi }
      let s = [
        Self.amplitudes[0] * Math.sin(phase), Self.amplitudes[1] * Math.cos(phase),
        Self.amplitudes[2] * Math.sin(2 * phase + 0.4),
      ]
      let seconds = Double(t) / Self.rate
      for j in 0..<Self.axes {
        var v = 0.0
        for i in 0..<3 { v += mixing[j * 3 + i] * s[i] }
        v += Self.noise[j] * rng.gaussian()
        if j == 2 { v += 9.81 }  // gravity on the vertical accelerometer axis
        if j >= 3 {
          // Gyro bias drift: 0.01 rad/s over a few minutes.
          v += 0.01 * Math.sin(2 * Double.pi * seconds / (120 + 40 * Double(j)) + Double(j))
        }
        x[j] = Float(v)
      }
      t += 1
    }

    /// The top-k eigenvectors of the stream's covariance (rows, k×6).
    func trueSubspace(components k: Int) -> [Float] {
      let d = Self.axes
      var c = [Double](repeating: 0, count: d * d)
      for r in 0..<d {
        for col in 0..<d {
          var v = 0.0
          for i in 0..<3 {
            v +=
              mixing[r * 3 + i] * mixing[col * 3 + i] * Self.amplitudes[i] * Self.amplitudes[i] / 2
          }
          c[r * d + col] = v + (r == col ? Self.noise[r] * Self.noise[r] : 0)
        }
      }
      let eig = try! SymmetricEigen(matrix: c, size: d)
      var out = [Float](repeating: 0, count: k * d)
      for i in 0..<(k * d) { out[i] = Float(eig.vectors[i]) }
      return out
    }
  }
}

/// The options of `hebbian demo`, each declared once: its table and every query read these.
enum DemoOptions {
  static let samples = OptionSpec.value(
    "--samples", "N", "samples per rule (default 200000: 33 min of 100 Hz IMU data)")
  static let components = OptionSpec.value(
    "--components", "K", "components for the multi-component rules (default 3)")
  static let seed = OptionSpec.value(
    "--seed", "S", "seed of the stream and the initial weights (default 1)")
  static let plot = OptionSpec.value(
    "--plot", "FILE.svg", "draw subspace error vs samples for every rule"
  ).output()
  static let saveStream = OptionSpec.value(
    "--save-stream", "FILE", "also write the stream (.f32 raw, else CSV with a header)"
  )
  .output()
  static let saveTruth = OptionSpec.value(
    "--save-truth", "FILE.f32", "write the true top-K subspace (K x 6 float32)"
  ).output()
}
