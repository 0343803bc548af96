// swift-tools-version:6.2
import PackageDescription

let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let packedRelocations: [LinkerSetting] = [
    .unsafeFlags(["-use-ld=lld", "-Xlinker", "-z", "-Xlinker", "pack-relative-relocs"], .when(platforms: [.linux]))
]

let testSettings: [SwiftSetting] = [.enableUpcomingFeature("ExistentialAny")]

let package = Package(
    name: "sluice",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "sluice", targets: ["sluice"]),
        // The image's binary: `run` only, without the emulator, the demo and the traffic simulator.
        .executable(name: "sluice-controller", targets: ["sluice-controller"]),
        .executable(name: "sluice-bench", targets: ["sluice-bench"]),
        // For working on Sluice: `sluice-dev generate` writes the CRDs and docs tables from the API's types.
        .executable(name: "sluice-dev", targets: ["sluice-dev"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-certificates", from: "1.21.1"),
        .package(url: "https://github.com/apple/swift-asn1", from: "1.7.4"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
    ],
    targets: [
        // C libraries. Each is a system library with a tiny header; the only C code is the
        // typed forwarders Swift cannot call through variadic functions.
        .systemLibrary(name: "CYAML", pkgConfig: "yaml-0.1", providers: [.apt(["libyaml-dev"])]),
        .systemLibrary(name: "CGit2", pkgConfig: "libgit2", providers: [.apt(["libgit2-dev"])]),
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        .systemLibrary(name: "CMalloc"),

        // The ordered JSON/YAML value, its JSON reader and writer, source positions: what the
        // pure cores read and write, with no C library under it.
        .target(name: "Values", dependencies: [.product(name: "OrderedCollections", package: "swift-collections")], swiftSettings: strict),
        // YAML through libyaml: the parser and the emitter over `Values`.
        .target(
            name: "YAML",
            dependencies: ["CYAML", "Values", .product(name: "OrderedCollections", package: "swift-collections")],
            swiftSettings: strict),
        .target(name: "CChildProcess"),
        .target(name: "ChildProcess", dependencies: ["CChildProcess"], swiftSettings: strict),
        .target(name: "Git", dependencies: ["CGit2", "Values"], swiftSettings: strict),
        // Sluice's commits signed in OpenSSH's format, and the check that a commit is Sluice's.
        .target(name: "CommitSigning", dependencies: ["Git", "ChildProcess", .product(name: "Crypto", package: "swift-crypto")], swiftSettings: strict),
        .target(name: "Manifests", dependencies: ["Values"], swiftSettings: strict),
        // Manifest files to objects: YAML documents checked, each object with its file and line.
        .target(name: "ManifestLoading", dependencies: ["Manifests", "YAML"], swiftSettings: strict),
        .target(
            name: "HTTP",
            dependencies: ["CCurl", .product(name: "Logging", package: "swift-log")],
            swiftSettings: strict),
        .target(
            name: "Kube",
            dependencies: ["HTTP", "YAML", "Manifests", "ChildProcess", .product(name: "Logging", package: "swift-log")],
            swiftSettings: strict),
        // Kustomize and Helm, the real tools, run sandboxed over one commit's files.
        .target(name: "Rendering", dependencies: ["ChildProcess"], swiftSettings: strict),
        // The planner, pure: desired × live → plan, inventory, ownership, ordering, diff text.
        .target(name: "Sync", dependencies: ["Values", "Manifests", .product(name: "Crypto", package: "swift-crypto")], swiftSettings: strict),
        // A source's desired objects at a commit: files read through libgit2, rendered by the tools.
        .target(name: "DesiredState", dependencies: ["ManifestLoading", "YAML", "Git", "Manifests", "Rendering", "Sync", "Rollout"], swiftSettings: strict),
        // The planner's shell: live reads and dry runs for the plan, the apply in waves, prunes, the inventory.
        .target(name: "ClusterSync", dependencies: ["YAML", "Manifests", "Kube", "Sync"], swiftSettings: strict),
        // The API's fields written once: checked, defaulted, and generated into CRDs and docs.
        .target(name: "Schema", dependencies: ["Values", .product(name: "OrderedCollections", package: "swift-collections")], swiftSettings: strict),
        .target(name: "Rollout", dependencies: ["Values", "Schema"], swiftSettings: strict),
        // Promotion between environments, pure: the pipeline, its gates, the decision, the registry's aliases.
        .target(name: "Promotion", dependencies: ["Rollout", "Values", "Schema"], swiftSettings: strict),
        // Model registries behind one narrow protocol; MLflow's REST API over libcurl.
        .target(name: "ModelRegistry", dependencies: ["Promotion", "Rollout", "HTTP", "YAML"], swiftSettings: strict),
        .target(name: "PrometheusQuery", dependencies: ["HTTP", "Rollout", "YAML"], swiftSettings: strict),
        // The test bench, under TestKit/: the Kubernetes API emulator, the manifest corpus, the traffic
        // simulator and its random draws, the local Prometheus launcher. The image's binary
        // (`sluice-controller`) links none of it; `sluice` links it for `sluice demo`, the bench and the
        // tests for what they drive.
        .target(
            name: "KubeEmulator",
            dependencies: [
                "YAML", "Manifests", "HTTP",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdHTTP2", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "TestKit/KubeEmulator", swiftSettings: strict),
        // A generated manifest set shaped like the large public ones, for tests and benchmarks.
        .target(name: "ManifestCorpus", path: "TestKit/ManifestCorpus", swiftSettings: strict),
        .target(name: "RandomDraws", path: "TestKit/RandomDraws", swiftSettings: strict),
        .target(name: "LocalPrometheus", dependencies: ["ChildProcess", "HTTP", "YAML"], path: "TestKit/LocalPrometheus", swiftSettings: strict),
        .target(
            name: "TrafficSimulator",
            dependencies: [
                "Kube", "Rollout", "YAML", "RandomDraws",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "TestKit/TrafficSimulator", swiftSettings: strict),

        // The loop every controller runs in: the Reconciler contract, the work queue, the workers.
        .target(
            name: "ControllerRuntime", dependencies: ["CMalloc", .product(name: "Logging", package: "swift-log")], swiftSettings: strict),
        .target(name: "LeaderElection", dependencies: ["Kube", "Manifests", "YAML", .product(name: "Logging", package: "swift-log")], swiftSettings: strict),
        // /healthz, /readyz, /metrics and the git webhook.
        .target(
            name: "Endpoints",
            dependencies: [
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict),
        // The reconcilers: sources kept applied, ModelDeployments rolled out; their Events and metrics.
        .target(
            name: "Controller",
            dependencies: [
                "ManifestLoading",
                "YAML", "Git", "Manifests", "Kube", "Sync", "DesiredState", "ClusterSync", "Rollout", "ControllerRuntime",
                "Promotion", "ModelRegistry", "CommitSigning", "Schema", "Notifications",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            swiftSettings: strict),
        // `sluice run` as a process: its settings (flags, environment, file), its services, its logs.
        .target(
            name: "ControllerProcess",
            dependencies: [
                "ManifestLoading",
                "Rendering", "Rollout", "Sync", "YAML", "LeaderElection", "Controller", "ControllerRuntime", "Endpoints", "DesiredState", "ClusterSync",
                "PrometheusQuery", "Git", "HTTP", "Kube", "ModelRegistry", "CommitSigning", "Manifests", "Schema", "Values",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict),

        .executableTarget(
            name: "sluice",
            dependencies: [
                "ManifestLoading",
                "YAML", "Git", "Manifests", "Sync", "DesiredState", "ClusterSync", "KubeEmulator", "Kube", "Controller", "ControllerRuntime",
                "ControllerProcess", "LeaderElection", "Endpoints", "Rollout", "Promotion", "PrometheusQuery", "LocalPrometheus", "TrafficSimulator", "HTTP",
                "ChildProcess", "Rendering", "CommitSigning",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict,
            // lld packs the binary's relative relocations (DT_RELR, glibc 2.36+): the loader
            // reads every relocation at start-up and the pages stay resident, which for the
            // image's static build was 3 MB of the controller's RSS (docs/benchmarks.md).
            linkerSettings: packedRelocations),
        // The files generated from the API's types: the CRDs and the reference docs' field tables.
        // Notifications: what Sluice tells people (webhook, Slack, Teams), queued and retried per channel.
        .target(
            name: "Notifications", dependencies: ["Values", "Schema", "HTTP", .product(name: "Crypto", package: "swift-crypto")], swiftSettings: strict),
        .target(
            name: "APIGeneration", dependencies: ["Schema", "Rollout", "Promotion", "Controller", "ControllerProcess", "Notifications", "YAML"],
            swiftSettings: strict),
        .executableTarget(
            name: "sluice-dev", dependencies: ["APIGeneration", .product(name: "ArgumentParser", package: "swift-argument-parser")], swiftSettings: strict),
        .executableTarget(
            name: "sluice-controller",
            dependencies: ["ControllerProcess", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            swiftSettings: strict,
            linkerSettings: packedRelocations),
        .executableTarget(
            name: "sluice-bench",
            dependencies: [
                "YAML", "Git", "Manifests", "Sync", "DesiredState", "ClusterSync", "ChildProcess", "Kube", "KubeEmulator", "Controller", "Endpoints", "HTTP",
                "Rollout", "ManifestCorpus", "RandomDraws", "ManifestLoading",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strict),

        .target(
            name: "TestSupport",
            dependencies: [
                "YAML", "Git", "ChildProcess", "HTTP", "Kube", "KubeEmulator",
                .product(name: "Crypto", package: "swift-crypto"), .product(name: "OrderedCollections", package: "swift-collections"),
            ], path: "Tests/TestSupport", swiftSettings: testSettings),
        .testTarget(name: "YAMLTests", dependencies: ["YAML", "Values", "TestSupport"], exclude: ["Fixtures"], swiftSettings: testSettings),
        .testTarget(name: "GitTests", dependencies: ["Git", "TestSupport"], swiftSettings: testSettings),
        .testTarget(
            name: "EndToEndTests",
            dependencies: [
                "ManifestLoading",
                "TestSupport", "YAML", "Kube", "KubeEmulator", "Manifests", "Controller", "ControllerProcess", "Endpoints", "HTTP", "Rollout", "Sync",
                "ClusterSync", "LocalPrometheus", "TrafficSimulator", "ManifestCorpus",
            ], exclude: ["Golden"], swiftSettings: testSettings),
        .testTarget(name: "HTTPTests", dependencies: ["HTTP", "TestSupport"], swiftSettings: testSettings),
        .testTarget(name: "KubeTests", dependencies: ["Kube", "KubeEmulator", "HTTP", "YAML", "Manifests", "TestSupport"], swiftSettings: testSettings),
        .testTarget(name: "KubeEmulatorTests", dependencies: ["KubeEmulator", "Kube", "YAML", "TestSupport"], swiftSettings: testSettings),
        .testTarget(
            name: "SyncTests", dependencies: ["Sync", "DesiredState", "Rollout", "Endpoints", "Manifests", "YAML", "TestSupport", "Git", "Rendering"],
            swiftSettings: testSettings),
        .testTarget(name: "RolloutTests", dependencies: ["Rollout", "YAML", "TestSupport"], exclude: ["Golden", "Fixtures"], swiftSettings: testSettings),
        .testTarget(
            name: "ChartTests",
            dependencies: ["TestSupport", "YAML", "Kube", "KubeEmulator", "APIGeneration", "ControllerProcess", "Controller", "Rollout", "Schema", "Sync"],
            exclude: ["Fixtures"],
            swiftSettings: testSettings),
        .testTarget(
            name: "ControllerTests",
            dependencies: [
                "ManifestLoading",
                "Controller", "ControllerRuntime", "ControllerProcess", "LeaderElection", "Kube", "KubeEmulator", "Manifests", "Sync", "DesiredState",
                "ClusterSync", "YAML", "TestSupport", "Rendering", "Rollout", "PrometheusQuery",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: testSettings),
        .testTarget(name: "ModelRegistryTests", dependencies: ["ModelRegistry", "Promotion", "HTTP", "TestSupport"], swiftSettings: testSettings),
        .testTarget(name: "PromotionTests", dependencies: ["Promotion", "Rollout", "YAML"], swiftSettings: testSettings),
        .testTarget(name: "NotificationsTests", dependencies: ["Notifications", "HTTP", "Values", "YAML", "TestSupport"], swiftSettings: testSettings),
        .testTarget(
            name: "SecurityTests",
            dependencies: [
                "ManifestLoading",
                "TestSupport", "Git", "DesiredState", "Rendering", "YAML", "Manifests", "HTTP", "Endpoints", "ModelRegistry", "Promotion", "Rollout",
                "CommitSigning",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: testSettings),
        .testTarget(name: "ManifestsTests", dependencies: ["ManifestLoading", "Manifests", "TestSupport"], swiftSettings: testSettings),
    ]
)
