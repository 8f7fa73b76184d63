// swift-tools-version: 6.1
// The root package has no package dependencies: library users and Embedded Swift board
// builds get a clean graph. Benchmarks/ is a separate package.
import PackageDescription

let package = Package(
  name: "swift-hebbian",
  products: [
    .library(name: "Hebbian", targets: ["Hebbian"]),
    .library(name: "HebbianExperiments", targets: ["HebbianExperiments"]),
    .library(name: "CHebbian", targets: ["CHebbian"]),
    .executable(name: "hebbian", targets: ["HebbianCLI"]),
  ],
  targets: [
    // C kernels: scalar reference, AVX2+FMA and NEON bodies, runtime dispatch.
    .target(
      name: "CHebbian",
      path: ".",
      sources: ["Sources/CHebbian"],
      publicHeadersPath: "include",
      linkerSettings: [.linkedLibrary("m")]
    ),
    // The only libc surface the CLI needs (files, clock, env, float parsing): one small
    // layer so the same Swift sources also build under Embedded Swift for the boards. Its CSV
    // reader dispatches through CHebbian's one choice of variant (hb_isa_active).
    .target(
      name: "CHebbianSys",
      dependencies: ["CHebbian"],
      path: "Sources/CHebbianSys",
      linkerSettings: [.linkedLibrary("m")]
    ),
    .target(
      name: "Hebbian",
      dependencies: ["CHebbian"],
      path: "Sources/Hebbian",
      // OwnedBuffer lends its storage as Span/MutableSpan properties, which need lifetime
      // annotations (as swift-collections' RigidArray does).
      swiftSettings: [.enableExperimentalFeature("Lifetimes")]
    ),
    // The experiment drivers and data sets behind the CLI's science commands (capacity
    // sweeps, E/I balance, distal reward, bars, pattern completion): apart from the core, so a
    // board program that links Hebbian does not carry them.
    .target(
      name: "HebbianExperiments",
      dependencies: ["Hebbian", "CHebbian"],
      path: "Sources/HebbianExperiments",
      swiftSettings: [.enableExperimentalFeature("Lifetimes")]
    ),
    .executableTarget(
      name: "HebbianCLI",
      dependencies: ["Hebbian", "HebbianExperiments", "CHebbian", "CHebbianSys"],
      path: "Sources/hebbian-cli"
    ),
    .testTarget(
      name: "CHebbianTests",
      dependencies: ["CHebbian", "Hebbian"],
      path: "Tests/CHebbianTests"
    ),
    // Test support: a thread-local allocation counter interposing the malloc family, so the
    // tests can prove that updates never allocate. Only test targets depend on it.
    .target(
      name: "CAllocCounter",
      path: "Tests/Support/CAllocCounter"
    ),
    .testTarget(
      name: "HebbianTests",
      dependencies: ["Hebbian", "HebbianExperiments", "CHebbian", "CAllocCounter"],
      path: "Tests/HebbianTests"
    ),
    .testTarget(
      name: "HebbianCLITests",
      dependencies: ["HebbianCLI", "Hebbian", "HebbianExperiments"],
      path: "Tests/HebbianCLITests"
    ),
  ],
  cLanguageStandard: .c11
)
