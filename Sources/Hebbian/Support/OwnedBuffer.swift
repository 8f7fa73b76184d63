/// A fixed-size, heap-allocated run of elements that its owner allocates once, in `init`,
/// and frees in `deinit`: the storage of every learner, memory and scratch in the library.
///
/// Non-copyable, so a buffer has exactly one owner and can never be freed twice or used after
/// its owner is gone; it lends its elements as a ``span`` or ``mutableSpan`` (or by index). The
/// kernels reach the memory through `base`, which only the library sees.
///
/// ```swift
/// var x = OwnedBuffer<Float>(count: 6)
/// var out = x.mutableSpan
/// out[0] = 1
/// ```
///
/// Storage starts on a 64-byte boundary (``alignment``): a cache line, and a whole vector for
/// the kernels' AVX2 and NEON loads, so the first row of a matrix never straddles two lines.
///
/// Every write path is `mutating`, as in swift-collections' `RigidArray`: writing needs
/// exclusive access to the buffer, so a borrowed buffer can lend a ``span`` but never a
/// ``mutableSpan`` beside it, and the compiler's exclusivity checks cover the elements as they
/// cover any stored property. A learner that writes its buffers does so from `mutating` methods.
public struct OwnedBuffer<Element: BitwiseCopyable>: ~Copyable {
  /// The first element; at least one element is always allocated, so this is never dangling.
  /// The kernels write through it only on their owner's `mutating` paths, the exclusivity the
  /// compiler checks for the public write API.
  @usableFromInline package let base: UnsafeMutablePointer<Element>
  /// Number of elements.
  public let count: Int

  /// The byte alignment of every buffer's first element (see the kernel list's alignment
  /// contract in `include/hebbian/hb_kernels.inc`).
  public static var alignment: Int { 64 }

  /// Room for `count` elements (at least one) on a 64-byte boundary, uninitialised.
  private static func allocate(_ count: Int) -> UnsafeMutablePointer<Element> {
    let n = Swift.max(count, 1)
    let raw = UnsafeMutableRawPointer.allocate(
      byteCount: n * MemoryLayout<Element>.stride,
      alignment: Swift.max(alignment, MemoryLayout<Element>.alignment))
    return raw.bindMemory(to: Element.self, capacity: n)
  }

  /// `count` elements, all `value`.
  public init(count: Int, repeating value: Element) {
    precondition(count >= 0, "OwnedBuffer: negative count")
    self.count = count
    base = Self.allocate(count)
    base.initialize(repeating: value, count: Swift.max(count, 1))
  }

  /// A copy of `values`.
  public init(copying values: [Element]) {
    count = values.count
    base = Self.allocate(values.count)
    values.withUnsafeBufferPointer { v in
      if let first = v.first {
        base.initialize(repeating: first, count: 1)
        base.update(from: v.baseAddress!, count: v.count)
      } else {
        // The spare element of an empty buffer: every bit zero, as allocation-free as the rest.
        UnsafeMutableRawPointer(base).initializeMemory(
          as: UInt8.self, repeating: 0, count: MemoryLayout<Element>.stride)
      }
    }
  }

  deinit { UnsafeMutableRawPointer(base).deallocate() }

  @inlinable public subscript(i: Int) -> Element {
    get {
      precondition(i >= 0 && i < count, "OwnedBuffer index out of range")
      return base[i]
    }
    mutating set {
      precondition(i >= 0 && i < count, "OwnedBuffer index out of range")
      base[i] = newValue
    }
  }

  /// The elements, borrowed for as long as the buffer is.
  public var span: Span<Element> {
    @_lifetime(borrow self) borrowing get {
      let s = unsafe Span(_unsafeStart: base, count: count)
      return unsafe _overrideLifetime(s, borrowing: self)
    }
  }

  /// The elements, writable, borrowed exclusively for as long as the buffer is.
  public var mutableSpan: MutableSpan<Element> {
    @_lifetime(&self) mutating get {
      let s = unsafe MutableSpan(_unsafeStart: base, count: count)
      return unsafe _overrideLifetime(s, mutating: &self)
    }
  }

  /// Lends the elements as a `MutableSpan` to `body`, for exactly as long as `body` runs.
  public mutating func withMutableSpan<R, E: Error>(_ body: (inout MutableSpan<Element>) throws(E) -> R)
    throws(E) -> R
  {
    var s = unsafe MutableSpan(_unsafeStart: base, count: count)
    return try body(&s)
  }

  /// A copy of the elements.
  public func toArray() -> [Element] { Array(UnsafeBufferPointer(start: base, count: count)) }

  /// A copy of elements `range`.
  public func toArray(_ range: Range<Int>) -> [Element] {
    precondition(range.lowerBound >= 0 && range.upperBound <= count, "OwnedBuffer range")
    return Array(UnsafeBufferPointer(start: base + range.lowerBound, count: range.count))
  }

  /// Sets every element to `value`.
  public mutating func fill(_ value: Element) { base.update(repeating: value, count: count) }

  /// Sets elements `range` to `value`.
  public mutating func fill(_ value: Element, _ range: Range<Int>) {
    precondition(range.lowerBound >= 0 && range.upperBound <= count, "OwnedBuffer range")
    (base + range.lowerBound).update(repeating: value, count: range.count)
  }

  /// Copies `n` elements of `other`, from index `source` on, to index `destination` on.
  public mutating func copy(
    _ n: Int, from other: borrowing OwnedBuffer<Element>, at source: Int = 0,
    to destination: Int = 0
  ) {
    precondition(
      n >= 0 && source >= 0 && source + n <= other.count && destination >= 0
        && destination + n <= count, "OwnedBuffer.copy range")
    (base + destination).update(from: other.base + source, count: n)
  }

  /// Copies `n` of its own elements, from index `source` on, to index `destination` on (the
  /// two runs may overlap).
  public mutating func copy(_ n: Int, from source: Int, to destination: Int) {
    precondition(
      n >= 0 && source >= 0 && source + n <= count && destination >= 0
        && destination + n <= count, "OwnedBuffer.copy range")
    // A raw copy is a memmove, and BitwiseCopyable elements need nothing more.
    UnsafeMutableRawPointer(base + destination).copyMemory(
      from: base + source, byteCount: n * MemoryLayout<Element>.stride)
  }

  /// Copies `values` to index `destination` on.
  public mutating func copy(_ values: Span<Element>, to destination: Int = 0) {
    precondition(destination >= 0 && destination + values.count <= count, "OwnedBuffer.copy range")
    for i in 0..<values.count { base[destination + i] = values[i] }
  }

  /// Exchanges elements `i` and `j`.
  public mutating func swapAt(_ i: Int, _ j: Int) {
    let t = self[i]
    self[i] = self[j]
    self[j] = t
  }

  /// Overwrites the first `values.count` elements.
  public mutating func assign(_ values: [Element]) {
    precondition(values.count <= count, "OwnedBuffer.assign: too many values")
    for i in 0..<values.count { base[i] = values[i] }
  }

  /// Overwrites the first `other.count` elements with `other`'s.
  public mutating func assign(_ other: borrowing OwnedBuffer<Element>) {
    precondition(other.count <= count, "OwnedBuffer.assign: too many values")
    base.update(from: other.base, count: other.count)
  }

  /// Pointer to element `i`, for the kernels.
  @inlinable package func at(_ i: Int) -> UnsafeMutablePointer<Element> { base + i }
}

extension OwnedBuffer where Element == Float {
  /// `count` zeros.
  public init(count: Int) { self.init(count: count, repeating: 0) }
}
