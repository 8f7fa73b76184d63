import CHebbian
import Hebbian
import Testing

/// Float storage of the sweeps: see ``SweepBuffer``.
typealias Buffer = SweepBuffer<Float>

extension SweepBuffer where Element == Float {
  /// `values` one float past a 64-byte boundary, followed by a zero guard tail.
  convenience init(_ values: [Float], offset: Int = 1) {
    self.init(count: values.count, offset: offset)
    for i in 0..<values.count { p[i] = values[i] }
  }
}

extension ISA {
  var hb: hb_isa { hb_isa(rawValue: UInt32(rawValue)) }
}

/// The family table of every variant the CPU supports (scalar first unless left out), the one
/// enumeration of variants the sweeps use. A supported variant without a table is an issue.
func variantTables<T>(
  _ lookup: (hb_isa) -> UnsafePointer<T>?, includingScalar: Bool = true
) -> [(isa: ISA, table: UnsafePointer<T>)] {
  var out: [(isa: ISA, table: UnsafePointer<T>)] = []
  for isa in KernelSweep.variants where includingScalar || isa != .scalar {
    let t = lookup(isa.hb)
    #expect(t != nil, "supported variant \(isa.name) has no \(T.self)")
    if let t { out.append((isa, t)) }
  }
  return out
}

/// The catalogue-driven sweep: every row of the kernel list has a contract (the list names
/// it, so a row without one does not link), and every kernel under every supported variant
/// stays within its contract's bound of the scalar reference.
@Suite struct KernelSweepTests {
  static let kernels = KernelSweep.catalogue.map(\.name)

  @Test func theCatalogueCoversEveryFamilyAndRefusesWhatItDoesNotHave() {
    let catalogue = KernelSweep.catalogue
    #expect(catalogue.count == hb_kernel_count())
    #expect(catalogue.count >= 20)
    #expect(Set(catalogue.map(\.name)).count == catalogue.count)
    #expect(Set(catalogue.map(\.family)) == ["blas", "rule", "memory", "plastic", "plasticity"])
    var r = hb_sweep_result(cases: 7, max_error: 1, tolerance: 2)
    #expect(!hb_kernel_sweep(hb_kernel_count(), HB_ISA_SCALAR, 1, &r))
    #expect(hb_kernel_workload(hb_kernel_count(), HB_ISA_SCALAR, 2, 16) == nil)
    for isa in ISA.allCases where !isa.isSupported {
      #expect(!hb_kernel_sweep(0, isa.hb, 1, &r))
      #expect(hb_kernel_workload(0, isa.hb, 2, 16) == nil)
    }
    #expect(r.cases == 7 && r.max_error == 1 && r.tolerance == 2)  // untouched when refused
  }

  /// Every variant the CPU supports has a table in every family, tagged with its own ISA, and
  /// a vector variant exists on the x86-64 development machines, so the sweep never silently
  /// compares the scalar body with itself only.
  @Test func everySupportedVariantHasATableInEveryFamily() {
    func check<T>(_ lookup: (hb_isa) -> UnsafePointer<T>?, _ isa: (T) -> hb_isa) {
      for (variant, table) in variantTables(lookup) { #expect(isa(table.pointee) == variant.hb) }
    }
    check(hb_blas_kernels_for) { $0.isa }
    check(hb_rule_kernels_for) { $0.isa }
    check(hb_memory_kernels_for) { $0.isa }
    check(hb_plastic_kernels_for) { $0.isa }
    check(hb_plasticity_kernels_for) { $0.isa }
    for isa in ISA.allCases where !isa.isSupported { #expect(hb_blas_kernels_for(isa.hb) == nil) }
    #if arch(x86_64)
      #expect(KernelSweep.variants.contains(.avx2))
    #endif
  }

  /// The one oracle of every kernel: its contract's sweep (Sources/CHebbian/<op>/<op>-contract.c,
  /// the shapes, strides, offsets, scalars and bounds written once in C), every supported
  /// variant against the scalar reference.
  @Test(arguments: kernels)
  func everySupportedVariantMatchesTheScalarReference(kernel: String) throws {
    let k = try #require(KernelSweep.catalogue.first { $0.name == kernel })
    #expect(!KernelSweep.variants.isEmpty && KernelSweep.variants[0] == .scalar)
    #if arch(x86_64)
      // The development machines are AVX2+FMA: the sweep must not silently test scalar only.
      #expect(KernelSweep.variants.contains(.avx2))
    #endif
    for isa in KernelSweep.variants {
      let row = KernelSweep.run(k, isa, seed: 0x5EED)
      #expect(row.cases >= 67, "\(kernel) \(isa.name): \(row.cases) cases")
      #expect(row.tolerance.isFinite && row.tolerance >= 0)
      #expect(
        row.maxError <= row.tolerance,
        "\(kernel) \(isa.name): error \(row.maxError) > tolerance \(row.tolerance)")
      // Scalar against scalar runs the same body on the same data: bit-identical.
      if isa == .scalar { #expect(row.maxError == 0, "\(kernel): scalar vs scalar") }
    }
  }

  @Test func buffersAreOffsetFromA64ByteBoundaryAndCopyTheirGuardTail() {
    var g = SeededGenerator(seed: 1)
    for offset in 0..<8 {
      let b = Buffer(count: 5, offset: offset)
      #expect(Int(bitPattern: b.p) % 64 == 4 * offset)
      #expect(b.total == 5 + Buffer.defaultGuard)
      #expect((0..<b.total).allSatisfy { b[$0] == 0 })
      b.fill(&g)
      let c = b.copy()
      #expect((0..<b.total).allSatisfy { c[$0].bitPattern == b[$0].bitPattern })
      #expect(Int(bitPattern: c.p) % 64 == 4 * offset)
    }
    let words = SweepBuffer<UInt64>(count: 3, fill: 7)
    #expect(Int(bitPattern: words.p) % 64 == 8 && words.array == [7, 7, 7])
  }
}
