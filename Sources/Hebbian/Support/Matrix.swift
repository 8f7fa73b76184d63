/// A row-major matrix of `Float` that owns its storage. Non-copyable so the buffers of a
/// learner are allocated once and never duplicated behind the user's back.
public struct Matrix: ~Copyable {
  public let rows: Int
  public let columns: Int
  @usableFromInline let base: UnsafeMutablePointer<Float>

  public init(rows: Int, columns: Int, repeating value: Float = 0) {
    precondition(rows >= 0 && columns >= 0, "Matrix: negative shape")
    self.rows = rows
    self.columns = columns
    let count = Swift.max(rows * columns, 1)
    base = .allocate(capacity: count)
    base.initialize(repeating: value, count: count)
  }

  /// Copies `values` (row-major, rows * columns entries).
  public init(rows: Int, columns: Int, values: [Float]) throws(HebbianError) {
    guard values.count == rows * columns else {
      throw .dimensionMismatch(what: "matrix entries", expected: rows * columns, got: values.count)
    }
    self.init(rows: rows, columns: columns)
    for i in 0..<values.count { base[i] = values[i] }
  }

  deinit { base.deallocate() }

  public var count: Int { rows * columns }

  @inlinable public subscript(row: Int, column: Int) -> Float {
    get {
      precondition(row >= 0 && row < rows && column >= 0 && column < columns, "Matrix index")
      return base[row * columns + column]
    }
    nonmutating set {
      precondition(row >= 0 && row < rows && column >= 0 && column < columns, "Matrix index")
      base[row * columns + column] = newValue
    }
  }

  /// A copy of one row.
  public func row(_ i: Int) -> [Float] {
    precondition(i >= 0 && i < rows, "Matrix row index")
    return Array(UnsafeBufferPointer(start: base + i * columns, count: columns))
  }

  /// A copy of all entries, row-major.
  public func toArray() -> [Float] {
    Array(UnsafeBufferPointer(start: base, count: count))
  }

  /// An independent copy.
  public func copy() -> Matrix {
    let m = Matrix(rows: rows, columns: columns)
    m.base.update(from: base, count: count)
    return m
  }

  public func withUnsafeBufferPointer<R, E: Error>(
    _ body: (UnsafeBufferPointer<Float>) throws(E) -> R
  ) throws(E) -> R {
    try body(UnsafeBufferPointer(start: base, count: count))
  }

  public mutating func withUnsafeMutableBufferPointer<R, E: Error>(
    _ body: (UnsafeMutableBufferPointer<Float>) throws(E) -> R
  ) throws(E) -> R {
    try body(UnsafeMutableBufferPointer(start: base, count: count))
  }
}
