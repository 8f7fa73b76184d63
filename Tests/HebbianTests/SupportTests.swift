import Testing

@testable import Hebbian

@Suite struct SupportTests {
  @Test func seededGeneratorIsReproducibleAndUniform() {
    var a = SeededGenerator(seed: 42)
    var b = SeededGenerator(seed: 42)
    for _ in 0..<100 { #expect(a.next() == b.next()) }
    // Mean of 100k uniforms: standard error 1/sqrt(12 * 1e5) ~ 9e-4, so 5e-3 is > 5 sigma.
    var g = SeededGenerator(seed: 7)
    var sum = 0.0
    var sq = 0.0
    for _ in 0..<100_000 {
      let z = g.gaussian()
      sum += g.uniform()
      sq += z * z
    }
    #expect(abs(sum / 100_000 - 0.5) < 5e-3)
    // Variance of the Gaussian: standard error sqrt(2/1e5) ~ 4.5e-3.
    #expect(abs(sq / 100_000 - 1) < 2.5e-2)
  }

  /// The alignment contract of the kernel list: every buffer, of any element type and any
  /// count (the empty one too), and so every learner's weights, starts on a 64-byte boundary.
  @Test func ownedBuffersStartOnACacheLine() throws {
    func address<T>(_ b: borrowing OwnedBuffer<T>) -> Int {
      b.span.withUnsafeBufferPointer { Int(bitPattern: $0.baseAddress) }
    }
    #expect(OwnedBuffer<Float>.alignment == 64)
    // Many live buffers at once, so the allocator cannot hand back one lucky address.
    var floats: [Int] = []
    for count in [0, 1, 3, 7, 16, 33, 1000] {
      for _ in 0..<8 {
        let f = OwnedBuffer<Float>(count: count)
        let d = OwnedBuffer<Double>(count: count, repeating: 1)
        let i = OwnedBuffer<Int>(copying: Array(0..<count))
        let u = OwnedBuffer<UInt8>(count: count, repeating: 0)
        for a in [address(f), address(d), address(i), address(u)] { #expect(a % 64 == 0) }
        floats.append(address(f))
      }
    }
    #expect(floats.allSatisfy { $0 != 0 })
    let pca = try OnlinePCA(dimension: 5, components: 3, rule: .gha)
    #expect(Int(bitPattern: pca.w.base) % 64 == 0)
  }

  /// The in-place copy moves a run within one buffer, overlapping runs included (a memmove).
  @Test func ownedBufferCopiesWithinItself() {
    var b = OwnedBuffer<Float>(copying: [0, 1, 2, 3, 4, 5, 6, 7])
    b.copy(3, from: 0, to: 4)
    #expect(b.toArray() == [0, 1, 2, 3, 0, 1, 2, 7])
    b.copy(4, from: 0, to: 1)
    #expect(b.toArray() == [0, 0, 1, 2, 3, 1, 2, 7])
    b.copy(4, from: 2, to: 0)
    #expect(b.toArray() == [1, 2, 3, 1, 3, 1, 2, 7])
  }

  @Test func matrixOwnsAndCopiesItsStorage() throws {
    let m = try Matrix(rows: 2, columns: 3, values: [1, 2, 3, 4, 5, 6])
    var c = m.copy()
    c[1, 2] = 60
    #expect(m[1, 2] == 6)
    #expect(c.row(1) == [4, 5, 60])
    #expect(throws: HebbianError.self) { try Matrix(rows: 2, columns: 2, values: [1]) }
  }

  @Test func checkedKernelsRejectShortBuffers() {
    let x: [Float] = [1, 2, 3]
    let y: [Float] = [1, 2]
    #expect(throws: HebbianError.self) { try Kernels.dot(3, x.span, y.span) }
    #expect(throws: HebbianError.self) { try Kernels.dot(3, x.span, incx: 2, y.span) }
    #expect(throws: HebbianError.self) { try Kernels.dot(2, x.span, incx: 0, y.span) }
    #expect(try! Kernels.dot(2, x.span, incx: 2, y.span) == 1 * 1 + 3 * 2)
  }

  @Test func activeISAIsSupported() {
    #expect(ISA.active.isSupported)
    #expect(ISA.supported.contains(.scalar))
  }
}
