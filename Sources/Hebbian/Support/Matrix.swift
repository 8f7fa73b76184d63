/// A row-major matrix of `Float` over an ``OwnedBuffer``. Non-copyable so the buffers of a
/// learner are allocated once and never duplicated behind the user's back.
public struct Matrix: ~Copyable {
  public let rows: Int
  public let columns: Int
  /// The entries, row-major.
  @usableFromInline var elements: OwnedBuffer<Float>

  public init(rows: Int, columns: Int, repeating value: Float = 0) {
    precondition(rows >= 0 && columns >= 0, "Matrix: negative shape")
    self.rows = rows
    self.columns = columns
    elements = OwnedBuffer(count: rows * columns, repeating: value)
  }

  /// Copies `values` (row-major, rows * columns entries).
  public init(rows: Int, columns: Int, values: [Float]) throws(HebbianError) {
    guard values.count == rows * columns else {
      throw .dimensionMismatch(what: "matrix entries", expected: rows * columns, got: values.count)
    }
    self.init(rows: rows, columns: columns)
    elements.assign(values)
  }

  public var count: Int { rows * columns }

  @inlinable public subscript(row: Int, column: Int) -> Float {
    get {
      precondition(row >= 0 && row < rows && column >= 0 && column < columns, "Matrix index")
      return elements[row * columns + column]
    }
    mutating set {
      precondition(row >= 0 && row < rows && column >= 0 && column < columns, "Matrix index")
      elements[row * columns + column] = newValue
    }
  }

  /// A copy of one row.
  public func row(_ i: Int) -> [Float] {
    precondition(i >= 0 && i < rows, "Matrix row index")
    return elements.toArray(i * columns..<(i + 1) * columns)
  }

  /// A copy of all entries, row-major.
  public func toArray() -> [Float] { elements.toArray() }

  /// An independent copy.
  public func copy() -> Matrix {
    var m = Matrix(rows: rows, columns: columns)
    m.elements.assign(elements)
    return m
  }

  /// The entries, row-major, borrowed for as long as the matrix is.
  public var span: Span<Float> {
    @_lifetime(borrow self) borrowing get { elements.span }
  }

  public func withUnsafeBufferPointer<R, E: Error>(
    _ body: (UnsafeBufferPointer<Float>) throws(E) -> R
  ) throws(E) -> R {
    try body(UnsafeBufferPointer(start: elements.base, count: count))
  }

  public mutating func withUnsafeMutableBufferPointer<R, E: Error>(
    _ body: (UnsafeMutableBufferPointer<Float>) throws(E) -> R
  ) throws(E) -> R {
    try body(UnsafeMutableBufferPointer(start: elements.base, count: count))
  }

  /// First entry, for the kernels.
  package var base: UnsafeMutablePointer<Float> { elements.base }
}
