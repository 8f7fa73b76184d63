import CHebbian
import CHebbianSys
import Foundation
import Glibc
import Hebbian
import Testing

@testable import HebbianCLI

/// One choice of variant: the kernels' entry points, the PCA block driver and the CSV reader all
/// follow hb_isa_active, so HEBBIAN_ISA pins every one of them.
@Suite struct DispatchPinTests {
  func name(_ p: UnsafePointer<CChar>?) -> String { p.map { String(cString: $0) } ?? "nil" }

  func scanner(_ isa: hb_isa) -> String { name(hb_csv_isa_for(Int32(isa.rawValue))) }

  func driver(_ isa: hb_isa, k: Int, d: Int) -> String { name(hb_pca_block_driver(isa, k, d)) }

  /// What each variant reads and learns with: the scalar variant only ever the portable
  /// scanner and the general loop, a vector variant its own where this build has one.
  @Test func eachVariantChoosesItsOwnScannerAndDriver() {
    #expect(scanner(HB_ISA_SCALAR) == "swar")
    #expect(driver(HB_ISA_SCALAR, k: 3, d: 6) == "scalar")
    #expect(driver(HB_ISA_SCALAR, k: 16, d: 256) == "scalar")
    #if arch(x86_64)
      if hb_isa_supported(HB_ISA_AVX2) {
        #expect(scanner(HB_ISA_AVX2) == "avx2")
        #expect(driver(HB_ISA_AVX2, k: 3, d: 6) == "avx2-small")
        #expect(driver(HB_ISA_AVX2, k: 16, d: 16) == "avx2-small")
        #expect(driver(HB_ISA_AVX2, k: 3, d: 17) == "avx2")
        #expect(driver(HB_ISA_AVX2, k: 16, d: 256) == "avx2")
      }
      // A variant this machine lacks falls back to the scalar loop.
      #expect(driver(HB_ISA_NEON, k: 3, d: 6) == "scalar")
    #elseif arch(arm64)
      #expect(scanner(HB_ISA_NEON) == "neon")
      #expect(driver(HB_ISA_NEON, k: 3, d: 6) == "neon")
    #elseif arch(arm)
      // 32-bit NEON has no scanner of its own.
      #expect(scanner(HB_ISA_NEON) == "swar")
    #endif
  }

  /// The reader in this process uses the active variant's scanner, and under HEBBIAN_ISA=scalar
  /// (the CI's scalar run) that is the portable one and the driver the scalar loop.
  @Test func theActiveVariantPicksTheReaderAndTheDriver() {
    let active = hb_isa_active()
    #expect(name(hb_csv_isa()) == scanner(active))
    if let env = getenv("HEBBIAN_ISA"), String(cString: env) == "scalar" {
      #expect(active == HB_ISA_SCALAR)
      #expect(name(hb_csv_isa()) == "swar")
      #expect(driver(active, k: 3, d: 6) == "scalar")
    }
  }

  /// `hebbian info` in a fresh process, with and without HEBBIAN_ISA=scalar: the pin reaches the
  /// CSV scanner and the PCA driver, not only the kernels.
  @Test func theEnvironmentPinsScannerAndDriverInAFreshProcess() throws {
    func info(_ isa: String?) throws -> [String] {
      let p = Process()
      p.executableURL = URL(fileURLWithPath: hebbianExecutable())
      p.arguments = ["info"]
      var env = ProcessInfo.processInfo.environment
      env["HEBBIAN_ISA"] = isa
      p.environment = env
      let out = Pipe()
      p.standardOutput = out
      try p.run()
      let data = out.fileHandleForReading.readDataToEndOfFile()
      p.waitUntilExit()
      #expect(p.terminationStatus == 0)
      return String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
    }
    let pinned = try info("scalar")
    #expect(pinned.contains("isa: scalar"))
    #expect(pinned.contains("csv scanner: swar"))
    #expect(pinned.contains("pca driver: scalar"))
    let free = try info(nil)
    let best = hb_isa_best()
    #expect(free.contains("isa: \(name(hb_isa_name(best)))"))
    #expect(free.contains("csv scanner: \(scanner(best))"))
    #if arch(x86_64)
      if best == HB_ISA_AVX2 {
        #expect(free.contains("pca driver: avx2-small up to d, k = 16, avx2 above"))
      }
    #endif
  }
}
