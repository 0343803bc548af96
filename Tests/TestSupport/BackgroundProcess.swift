import ChildProcess
import Foundation

/// A server a test starts (git daemon, sshd, Prometheus, the built `sluice`) and stops, by
/// SIGTERM then SIGKILL, when the test releases it. Its output goes to a log file the test can
/// read (and that is kept when SLUICE_KEEP_TEST_DIRS is set).
public final class BackgroundProcess: Sendable {
    public let child: ChildProcess
    public let logFile: String
    public let name: String
    private let logDir: TemporaryDirectory

    public init(_ executable: String, _ arguments: [String], cwd: String? = nil, environment: [String: String] = [:]) throws {
        guard let path = which(executable) else { throw RunError.notFound(executable) }
        name = (executable as NSString).lastPathComponent
        logDir = TemporaryDirectory(prefix: "sluice-log-\(name)")
        logFile = logDir.file("output.log")
        var env = ChildProcess.currentEnvironment()
        for (k, v) in environment { env[k] = v }
        child = try ChildProcess(
            path, arguments, environment: env, directory: cwd, stdin: .null, stdout: .file(logFile), stderr: .stdout,
            newProcessGroup: true)
    }

    /// Everything the process wrote to stdout and stderr so far.
    public var log: String { (try? String(contentsOfFile: logFile, encoding: .utf8)) ?? "" }

    public var isRunning: Bool { child.isRunning }
    public var pid: Int32 { child.pid }

    /// Waits until the output contains `text` (a readiness line) or the time runs out.
    @discardableResult
    public func waitForOutput(_ text: String, timeout: Double = 20) throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            let current = log
            if current.contains(text) { return current }
            if let status = child.poll() {
                throw RunError.failed(command: name, result: ProcessResult(status: status, stdout: log, stderr: ""))
            }
            Thread.sleep(forTimeInterval: 0.02)
        }
        throw RunError.failed(command: "\(name) (waiting for '\(text)')", result: ProcessResult(status: -1, stdout: log, stderr: ""))
    }

    public func signal(_ sig: Int32) { child.signal(sig) }

    /// SIGTERM to the process group, then SIGKILL after `grace` seconds. Returns the exit status.
    @discardableResult
    public func stop(grace: Double = 5) -> Int32 { child.terminate(grace: grace, group: true) }

    deinit { child.terminate(grace: 2, group: true) }
}

/// A TCP port on 127.0.0.1 that was free a moment ago. Servers that can pick their own port
/// (and print it) are preferred; this is for those that cannot.
public func freePort() -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var addr = sockaddr_in()
    addr.sin_family = sa_family_t(AF_INET)
    addr.sin_port = 0
    addr.sin_addr.s_addr = inet_addr("127.0.0.1")
    var len = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) } }
    _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) } }
    return Int(UInt16(bigEndian: addr.sin_port))
}

/// Waits until something accepts TCP connections on 127.0.0.1:port.
public func waitForPort(_ port: Int, timeout: Double = 20) -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = UInt16(port).bigEndian
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let rc = withUnsafeMutablePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        close(fd)
        if rc == 0 { return true }
        Thread.sleep(forTimeInterval: 0.05)
    }
    return false
}
