// swift-tools-version: 6.1
// The root package has no package dependencies: library users and Embedded Swift board
// builds get a clean graph. Benchmarks/ is a separate package.
import PackageDescription

let package = Package(
  name: "swift-hebbian",
  products: [
    .library(name: "Hebbian", targets: ["Hebbian"]),
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
    // layer so the same Swift sources also build under Embedded Swift for the boards.
    .target(
      name: "CHebbianSys",
      path: "Sources/CHebbianSys",
      linkerSettings: [.linkedLibrary("m")]
    ),
    .target(
      name: "Hebbian",
      dependencies: ["CHebbian"],
      path: "Sources/Hebbian"
    ),
    .executableTarget(
      name: "HebbianCLI",
      dependencies: ["Hebbian", "CHebbian", "CHebbianSys"],
      path: "Sources/hebbian-cli"
    ),
    .testTarget(
      name: "CHebbianTests",
      dependencies: ["CHebbian", "Hebbian"],
      path: "Tests/CHebbianTests"
    ),
    .testTarget(
      name: "HebbianTests",
      dependencies: ["Hebbian", "CHebbian"],
      path: "Tests/HebbianTests"
    ),
    .testTarget(
      name: "HebbianCLITests",
      dependencies: ["HebbianCLI", "Hebbian"],
      path: "Tests/HebbianCLITests"
    ),
  ],
  cLanguageStandard: .c11
)
