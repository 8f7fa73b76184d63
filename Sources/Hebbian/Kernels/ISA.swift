internal import CHebbian

/// The kernel variants. The library picks one per process (the best the CPU has, or the one
/// named by `HEBBIAN_ISA`), and tests or benchmarks can reach every variant directly.
public enum ISA: Int, CaseIterable, Sendable {
  case scalar = 0
  case avx2 = 1
  case neon = 2

  var c: hb_isa { hb_isa(rawValue: UInt32(rawValue)) }

  public var name: String {
    switch self {
    case .scalar: return "scalar"
    case .avx2: return "avx2"
    case .neon: return "neon"
    }
  }

  public init?(name: String) {
    guard let isa = Self.allCases.first(where: { $0.name.isBytes(name) }) else { return nil }
    self = isa
  }

  /// Compiled into this build and supported by the running CPU.
  public var isSupported: Bool { hb_isa_supported(c) }

  /// The variant every dispatched kernel uses in this process.
  public static var active: ISA { ISA(rawValue: Int(hb_isa_active().rawValue)) ?? .scalar }

  /// The best variant the CPU supports.
  public static var best: ISA { ISA(rawValue: Int(hb_isa_best().rawValue)) ?? .scalar }

  /// Every supported variant.
  public static var supported: [ISA] { allCases.filter { $0.isSupported } }

  /// Throws when `HEBBIAN_ISA` was set to a variant that could not be honoured, so a front end
  /// reports it instead of silently running another variant.
  public static func validateEnvironment(requested: String) throws(HebbianError) {
    switch hb_isa_env_status() {
    case HB_OK: return
    case HB_ERR_ISA_UNKNOWN: throw .unknownISA(requested)
    default: throw .isaUnavailable(requested)
    }
  }
}
