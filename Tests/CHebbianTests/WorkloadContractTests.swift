import CHebbian
import Hebbian
import Testing

/// Every kernel's benchmark workload (its contract's hb_<op>_f32__workload): it exists for
/// every supported variant and shape, runs the variant it was asked for, and its state stays
/// finite over many calls, which the benchmark suite relies on (a drifting state would time
/// overflow or subnormal assists instead of the kernel).
@Suite struct WorkloadContractTests {
  static let shapes: [(k: Int, d: Int, calls: Int)] = [(1, 16, 2000), (8, 64, 2000), (32, 1024, 50)]

  @Test(arguments: KernelSweep.catalogue.map(\.name))
  func everyVariantHasABoundedWorkload(kernel: String) throws {
    let k = try #require(KernelSweep.catalogue.first { $0.name == kernel })
    for isa in KernelSweep.variants {
      var flopsPerShape: [Int] = []
      for shape in Self.shapes {
        let w = try #require(
          hb_kernel_workload(k.index, isa.hb, shape.k, shape.d), "\(kernel) \(isa.name)")
        defer { hb_workload_free(w) }
        #expect(w.pointee.k == shape.k && w.pointee.d == shape.d)
        #expect(w.pointee.flops >= shape.d, "\(kernel) \(isa.name): \(w.pointee.flops) flops")
        #expect(
          w.pointee.body.map { unsafeBitCast($0, to: UnsafeRawPointer.self) }
            == hb_kernel_variant(k.index, isa.hb))
        flopsPerShape.append(w.pointee.flops)
        for _ in 0..<shape.calls { w.pointee.run(w) }
        let ops = w.pointee.ops
        #expect(ops > 0)
        try withUnsafeBytes(of: &w.pointee.op) { opsRaw in
          try withUnsafeBytes(of: &w.pointee.op_floats) { countsRaw in
            let pointers = opsRaw.bindMemory(to: UnsafeMutableRawPointer?.self)
            let counts = countsRaw.bindMemory(to: Int.self)
            for i in 0..<ops where counts[i] > 0 {
              let p = try #require(pointers[i]).assumingMemoryBound(to: Float.self)
              let bad = (0..<counts[i]).first { !p[$0].isFinite }
              #expect(bad == nil, "\(kernel) \(isa.name) k=\(shape.k) d=\(shape.d): operand \(i)")
            }
          }
        }
      }
      // A vector kernel's cost does not depend on k.
      let w = try #require(hb_kernel_workload(k.index, isa.hb, 8, 64))
      if !w.pointee.uses_k {
        let other = try #require(hb_kernel_workload(k.index, isa.hb, 1, 64))
        #expect(other.pointee.flops == w.pointee.flops)
        hb_workload_free(other)
      }
      hb_workload_free(w)
    }
  }

  /// The bit_overlap workload stores d ±1 entries per pattern: its bits past d are zero, as
  /// the packed layout says, so every overlap is an integer in [−d, d] of d's parity. (With
  /// random padding, 48 stray bits per word at d = 16, overlaps fall below −d.)
  @Test func bitOverlapWorkloadPacksDEntriesPerPattern() throws {
    let k = try #require(KernelSweep.catalogue.first { $0.name == "bit_overlap" })
    for d in [16, 100, 128] {
      let w = try #require(hb_kernel_workload(k.index, HB_ISA_SCALAR, 8, d))
      defer { hb_workload_free(w) }
      w.pointee.run(w)
      let m = try #require(w.pointee.op.2).assumingMemoryBound(to: Float.self)
      for mu in 0..<8 {
        #expect(m[mu].magnitude <= Float(d), "d=\(d) pattern \(mu): overlap \(m[mu])")
        #expect((d - Int(m[mu])) % 2 == 0, "d=\(d) pattern \(mu): overlap \(m[mu])")
      }
    }
  }
}
