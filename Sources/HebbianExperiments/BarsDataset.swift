import Hebbian
internal import CHebbian

/// A seeded bars data set whose classes are not linearly separable in pixel space.
///
/// Each `side`×`side` image holds one horizontal bar at row band r and one vertical bar at
/// column band c (bands of `side / positions` pixels), each with its own random intensity,
/// added (not max-ed) and overlaid with Gaussian pixel noise. The label is the parity
/// (r + c) mod 2 — an XOR of the two positions. Since the image is a sum of a row term and a
/// column term, any linear score of the pixels is f(r) + g(c) + noise, which cannot express a
/// parity: a linear readout on raw pixels stays near chance, while units that respond to a
/// (row, column) conjunction make the classes separable.
public struct BarsDataset {
  public let side: Int
  public let positions: Int
  /// count × side² pixels, row-major.
  public private(set) var images: [Float]
  public private(set) var labels: [Int]
  /// The band of each image's horizontal and vertical bar.
  public private(set) var rowBands: [Int]
  public private(set) var columnBands: [Int]
  public var count: Int { labels.count }
  public var dimension: Int { side * side }
  public static let classes = 2

  public init(
    count: Int, side: Int = 8, positions: Int = 4, noise: Double = 0.2, seed: UInt64
  ) throws(HebbianError) {
    if side < 2 || positions < 2 || side % positions != 0 || count < 1 || !(noise >= 0) {
      throw .invalidParameter(
        "bars: need count >= 1, side >= 2, positions >= 2 dividing side, noise >= 0")
    }
    try MemoryBudget.check(
      "bars", "\(count) images of \(side) x \(side)", [[count, side, side], [3, count, 2]])
    if !noise.isFinite { throw .invalidParameter("bars: noise must be finite") }
    self.side = side
    self.positions = positions
    let d = side * side
    let band = side / positions
    images = [Float](repeating: 0, count: count * d)
    labels = [Int](repeating: 0, count: count)
    rowBands = labels
    columnBands = labels
    var rng = SeededGenerator(seed: seed)
    for s in 0..<count {
      let r = Int(rng.next() % UInt64(positions))
      let c = Int(rng.next() % UInt64(positions))
      let hi = Float(0.6 + 0.4 * rng.uniform())
      let vi = Float(0.6 + 0.4 * rng.uniform())
      labels[s] = (r + c) % 2
      rowBands[s] = r
      columnBands[s] = c
      let base = s * d
      for y in 0..<side {
        for x in 0..<side {
          var v = Float(noise * rng.gaussian())
          if y / band == r { v += hi }
          if x / band == c { v += vi }
          images[base + y * side + x] = v
        }
      }
    }
  }
}

/// Multinomial logistic regression trained by plain SGD: the "simple linear readout" that
/// compares feature sets. Inputs are standardised with the training set's per-feature mean and
/// standard deviation so one learning rate suits raw pixels and hidden features alike.
public struct SoftmaxReadout: ~Copyable {
  public let features: Int
  public let classes: Int
  var w: OwnedBuffer<Float>  // classes × (features + 1), last column = bias
  var mean: OwnedBuffer<Float>
  var invStd: OwnedBuffer<Float>
  var z: OwnedBuffer<Float>  // standardised input + 1
  var logits: OwnedBuffer<Float>

  public init(features: Int, classes: Int) throws(HebbianError) {
    if features < 1 || classes < 2 {
      throw .invalidParameter("readout: need features >= 1 and classes >= 2")
    }
    try MemoryBudget.check(
      "readout", "\(features) features x \(classes) classes",
      [[classes + 1, features + 1], [3, features + 1]])
    self.features = features
    self.classes = classes
    let cols = features + 1
    w = OwnedBuffer(count: classes * cols)
    mean = OwnedBuffer(count: features)
    invStd = OwnedBuffer(count: features, repeating: 1)
    z = OwnedBuffer(count: cols)
    logits = OwnedBuffer(count: classes)
  }

  mutating func standardise(_ x: Span<Float>) {
    for i in 0..<features { z[i] = (x[i] - mean[i]) * invStd[i] }
    z[features] = 1
  }

  mutating func scores() {
    let cols = features + 1
    for c in 0..<classes {
      var s: Float = 0
      for i in 0..<cols { s += w[c * cols + i] * z[i] }
      logits[c] = s
    }
  }

  /// Fits on `count` rows of `data` (count × features) with labels in 0..<classes: `epochs`
  /// seeded-shuffled SGD passes on the cross-entropy with learning rate `rate`.
  public mutating func fit(
    data: Span<Float>, labels: Span<Int>, count: Int, epochs: Int, rate: Float,
    order: inout MutableSpan<Int>, rng: inout SeededGenerator
  ) throws(HebbianError) {
    let f = features
    let cols = f + 1
    if data.count < count * f {
      throw .dimensionMismatch(what: "readout data", expected: count * f, got: data.count)
    }
    if labels.count < count || order.count < count {
      throw .dimensionMismatch(
        what: "labels/order", expected: count, got: Swift.min(labels.count, order.count))
    }
    if !(rate >= 0 && rate.isFinite) {
      throw .invalidParameter("readout: learning rate must be finite and >= 0")
    }
    for i in 0..<(count * f) where !data[i].isFinite { throw .nonFinite(index: i) }
    for i in 0..<count where labels[i] < 0 || labels[i] >= classes {
      throw .invalidParameter("readout: label \(labels[i]) at row \(i) outside 0…\(classes - 1)")
    }
    for i in 0..<f {
      var s: Double = 0
      var q: Double = 0
      for r in 0..<count {
        let v = Double(data[r * f + i])
        s += v
        q += v * v
      }
      let m = s / Double(count)
      let variance = Swift.max(q / Double(count) - m * m, 0)
      mean[i] = Float(m)
      invStd[i] = variance > 1e-12 ? Float(1 / variance.squareRoot()) : 1
    }
    for i in 0..<count { order[i] = i }
    for _ in 0..<epochs {
      shuffle(&order, count: count, &rng)
      for k in 0..<count {
        let r = order[k]
        standardise(data.extracting(r * f..<(r + 1) * f))
        scores()
        var top = logits[0]
        for c in 1..<classes { top = Swift.max(top, logits[c]) }
        var total: Float = 0
        for c in 0..<classes {
          logits[c] = Math.exp(logits[c] - top)
          total += logits[c]
        }
        // ∂(−log softmax_y)/∂logit_c = softmax_c − [c = y]
        for c in 0..<classes {
          let grad = logits[c] / total - (c == labels[r] ? 1 : 0)
          hb_axpy_f32(cols, -rate * grad, z.base, 1, w.at(c * cols), 1)
        }
      }
    }
  }

  /// The most likely class of one feature vector.
  public mutating func predict(_ x: Span<Float>) throws(HebbianError) -> Int {
    if x.count < features {
      throw .dimensionMismatch(what: "readout input", expected: features, got: x.count)
    }
    standardise(x)
    scores()
    var best = 0
    for c in 1..<classes where logits[c] > logits[best] { best = c }
    return best
  }

  /// Fraction of rows of `data` classified as `labels`.
  public mutating func accuracy(data: Span<Float>, labels: Span<Int>, count: Int) throws(HebbianError)
    -> Double
  {
    let f = features
    if data.count < count * f {
      throw .dimensionMismatch(what: "readout data", expected: count * f, got: data.count)
    }
    var right = 0
    for r in 0..<count {
      if try predict(data.extracting((r * f)..<((r + 1) * f))) == labels[r] { right += 1 }
    }
    return Double(right) / Double(count)
  }
}
