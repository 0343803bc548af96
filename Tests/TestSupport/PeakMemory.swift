import Foundation

/// A program's peak resident memory, measured the way `/usr/bin/time -f %M` would: it is started
/// from a small Python process, whose `RUSAGE_CHILDREN` then holds the child's own high-water
/// mark. (`wait4` on a child of the test runner cannot be used: Linux carries the spawning
/// process's high-water mark across `exec`, so the child would report the test runner's size.)
public struct PeakMemory: Sendable {
    public var result: ProcessResult
    public var peakBytes: Int

    static let script = """
        import resource, subprocess, sys
        r = subprocess.run(sys.argv[1:], capture_output=True)
        sys.stdout.buffer.write(r.stdout)
        sys.stderr.buffer.write(r.stderr)
        sys.stderr.write("\\npeak-rss-kib=%d\\n" % resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
        sys.exit(r.returncode)
        """

    public static func measure(_ executable: String, _ arguments: [String], timeout: Double = 300) throws -> PeakMemory {
        var r = try run("/usr/bin/python3", ["-c", script, executable] + arguments, environment: ["NO_COLOR": "1"], timeout: timeout)
        guard let marker = r.stderr.range(of: "\npeak-rss-kib=", options: .backwards),
            let kib = Int(r.stderr[marker.upperBound...].trimmingCharacters(in: .whitespacesAndNewlines))
        else { return PeakMemory(result: r, peakBytes: 0) }
        r.stderr = String(r.stderr[..<marker.lowerBound])
        return PeakMemory(result: r, peakBytes: kib * 1024)
    }
}
