import Glibc

/// What a finished process wrote and how it ended.
public struct CompletedProcess: Sendable {
    public var status: Int32
    public var stdout: [UInt8]
    public var stderr: [UInt8]
    public var timedOut: Bool
    /// The child wrote more than `outputLimit` bytes to stdout and was killed.
    public var outputLimitExceeded = false

    public var stdoutText: String { String(decoding: stdout, as: UTF8.self) }
    public var stderrText: String { String(decoding: stderr, as: UTF8.self) }
}

extension ChildProcess {
    /// Runs a program to completion on the calling thread, feeding `input` to its stdin and
    /// collecting both outputs (read together with `poll(2)` so neither pipe can fill up and
    /// block the child). With a timeout, the child is killed when it runs over; with an output
    /// limit, when its stdout grows past it.
    public static func run(
        _ executable: String, _ arguments: [String], input: [UInt8]? = nil, environment: [String: String]? = nil,
        directory: String? = nil, timeout: Double? = nil, outputLimit: Int? = nil
    ) throws -> CompletedProcess {
        let child = try ChildProcess(
            executable, arguments, environment: environment, directory: directory, stdin: input == nil ? .null : .pipe)
        if let input {
            var offset = 0
            Glibc.signal(SIGPIPE, SIG_IGN)
            while offset < input.count {
                let n = input[offset...].withUnsafeBytes { write(child.stdinFD, $0.baseAddress, $0.count) }
                if n <= 0 { break }
                offset += n
            }
            child.closeStdin()
        }
        var out: [UInt8] = []
        var err: [UInt8] = []
        var open = [child.stdoutFD, child.stderrFD]
        let deadline = timeout.map { monotonicSeconds() + $0 }
        var timedOut = false
        var exceeded = false
        var buffer = [UInt8](repeating: 0, count: 65536)
        while !open.isEmpty {
            var fds = open.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
            let wait = deadline.map { Int32(max(0, ($0 - monotonicSeconds()) * 1000)) } ?? -1
            let ready = Glibc.poll(&fds, nfds_t(fds.count), wait)
            if ready == 0 {
                timedOut = true
                child.terminate(grace: 1)
                break
            }
            if ready < 0 { if errno == EINTR { continue } else { break } }
            for pfd in fds where pfd.revents != 0 {
                let n = read(pfd.fd, &buffer, buffer.count)
                if n > 0 {
                    if pfd.fd == child.stdoutFD { out += buffer[0..<n] } else { err += buffer[0..<n] }
                    if let outputLimit, out.count > outputLimit {
                        exceeded = true
                        child.terminate(grace: 1)
                        open = []
                        break
                    }
                } else if n == 0 || (n < 0 && errno != EINTR && errno != EAGAIN) {
                    open.removeAll { $0 == pfd.fd }
                }
            }
        }
        let status = child.wait()
        return CompletedProcess(status: status, stdout: out, stderr: err, timedOut: timedOut, outputLimitExceeded: exceeded)
    }
}
