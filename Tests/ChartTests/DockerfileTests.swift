import Foundation
import TestSupport
import Testing

/// The image cannot be built here (no Docker engine), so this checks what can go wrong without
/// building it: the runtime stage installs the Debian package of every shared library the
/// binary links against directly (the rest come as those packages' dependencies, or with the
/// Swift runtime linked statically).
@Suite(.offThePool) struct DockerfileTests {
    @Test func theRuntimeStageInstallsEverySharedLibraryTheBinaryNeeds() async throws {
        let root = SluiceBinary.repositoryRoot
        let dockerfile = try String(contentsOfFile: "\(root)/Dockerfile", encoding: .utf8)
        let stages = dockerfile.components(separatedBy: "\nFROM ")
        #expect(stages.count == 3, "a build stage and a run stage")
        let runtime = try #require(stages.last)
        #expect(runtime.hasPrefix("debian:bookworm-slim"))
        #expect(runtime.contains("USER 65532"), "runs as non-root, matching the chart's securityContext")
        #expect(dockerfile.contains("--static-swift-stdlib"))
        #expect(dockerfile.contains("--product sluice-controller"), "the image ships the controller binary, not the CLI with its emulator")
        #expect(runtime.contains("ENTRYPOINT [\"/usr/local/bin/sluice-controller\"]"))

        let needed = try await run("readelf", ["-d", SluiceBinary.controllerPath])
        let libraries = needed.stdout.split(separator: "\n").filter { $0.contains("(NEEDED)") }.compactMap { line -> String? in
            guard let open = line.firstIndex(of: "["), let close = line.firstIndex(of: "]") else { return nil }
            return String(line[line.index(after: open)..<close])
        }
        #expect(libraries.contains("libgit2.so.1.5") && libraries.contains("libcurl.so.4") && libraries.contains("libyaml-0.so.2"))
        // In the base image already: the C and C++ runtimes.
        let base: Set<String> = ["libc6", "libgcc-s1", "libstdc++6"]
        for lib in libraries {
            let located = try await run(
                "sh", ["-c", "dpkg -S \"$(readlink -f \"$(ldconfig -p | awk -v l=\(lib) '$1 == l {print $NF; exit}')\")\" 2>/dev/null | cut -d: -f1 | head -1"])
            let package = located.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            // Swift's own libraries belong to the toolchain, not to Debian: linked statically in the image.
            if package.isEmpty || base.contains(package) { continue }
            #expect(
                runtime.contains(" \(package) ") || runtime.contains(" \(package)\n"), "\(lib) comes from \(package), which the runtime stage does not install")
        }
    }

    /// SwiftPM refuses a package whose targets' directories are missing, so the build stage must
    /// copy every top-level directory a target lives in (`Sources`, `TestKit`, `Tests`).
    @Test func theBuildStageCopiesEveryDirectoryATargetLivesIn() throws {
        let root = SluiceBinary.repositoryRoot
        let dockerfile = try String(contentsOfFile: "\(root)/Dockerfile", encoding: .utf8)
        let manifest = try String(contentsOfFile: "\(root)/Package.swift", encoding: .utf8)
        var directories: Set<String> = ["Sources"]
        for part in manifest.components(separatedBy: "path: \"").dropFirst() {
            if let top = part.split(separator: "/").first { directories.insert(String(top)) }
        }
        #expect(directories.contains("TestKit") && directories.contains("Tests"))
        for directory in directories.sorted() {
            #expect(dockerfile.contains("\nCOPY \(directory) ./\(directory)\n"), "the build stage does not copy \(directory)/")
        }
    }
}
