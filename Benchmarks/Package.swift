// swift-tools-version: 6.1
// Benchmarks of the kernels and rule steps, kept out of the root package so library users
// never see the benchmark dependency or OpenBLAS.
//
//   swift package benchmark                          all kernels, every variant (minutes)
//   HEBBIAN_BENCH_SMOKE=1 swift package benchmark    a few shapes, seconds (CI)
//   swift run -c release AllocationCheck             fails if any update allocates (CI)
//   swift run -c release Compare                     the README's comparison table
import PackageDescription

// A path dependency's identity is its directory's name (the clone's folder, not necessarily
// "swift-hebbian"), so the products are looked up under whatever that folder is called.
let root = String(#filePath.split(separator: "/").dropLast(2).last ?? "swift-hebbian").lowercased()

let package = Package(
  name: "swift-hebbian-benchmarks",
  platforms: [.macOS(.v13)],
  dependencies: [
    .package(path: ".."),
    .package(url: "https://github.com/ordo-one/benchmark", exact: "1.38.1", traits: ["MallocInterposer"]),
    .package(url: "https://github.com/ordo-one/malloc-interposer", from: "1.5.0"),
  ],
  targets: [
    // Debian's libopenblas-dev: the per-sample BLAS composition the fused steps are compared to.
    .systemLibrary(
      name: "COpenBLAS",
      path: "Sources/COpenBLAS",
      pkgConfig: "openblas",
      providers: [.apt(["libopenblas-dev"])]
    ),
    // The workloads (buffers, shapes, one closure per kernel call), shared by the benchmark
    // suite, the allocation check and the comparison table.
    .target(
      name: "BenchSupport",
      dependencies: [
        .product(name: "CHebbian", package: root),
        .product(name: "Hebbian", package: root),
        "COpenBLAS",
      ],
      path: "Sources/BenchSupport"
    ),
    .executableTarget(
      name: "KernelBenchmarks",
      dependencies: [
        "BenchSupport",
        .product(name: "Benchmark", package: "benchmark"),
      ],
      path: "Benchmarks/KernelBenchmarks",
      plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
    ),
    .executableTarget(
      name: "AllocationCheck",
      dependencies: [
        "BenchSupport",
        .product(name: "Hebbian", package: root),
        .product(name: "MallocInterposerSwift", package: "malloc-interposer"),
      ],
      path: "Sources/AllocationCheck"
    ),
    .executableTarget(
      name: "Compare",
      dependencies: ["BenchSupport"],
      path: "Sources/Compare"
    ),
  ]
)
