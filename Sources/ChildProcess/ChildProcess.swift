internal import CChildProcess
import Glibc
import Synchronization

/// A process started with `posix_spawn` and reaped with `waitpid`. Foundation's `Process` on
/// Linux can miss a child's exit when several threads wait at once, which hangs a controller (or
/// a test) forever; this type does the few things Sluice needs and nothing else.
public final class ChildProcess: @unchecked Sendable {
    // Safe: `pid` and the descriptors are immutable after init; the exit status is inside a
    // `Mutex`, and `waitpid` on a known pid is thread-safe.
    public let pid: Int32
    public let executable: String
    /// Our end of the child's stdin, stdout and stderr pipes (when requested), else -1.
    public let stdinFD: Int32
    public let stdoutFD: Int32
    public let stderrFD: Int32
    private let exitStatus = Mutex<Int32?>(nil)
    /// Set once stdin was closed to send end-of-file: closing it again in `deinit` could close
    /// another thread's descriptor that reused the number (a socket NIO then writes to: EBADF).
    private let stdinClosed = Mutex(false)

    public enum Output: Sendable {
        case pipe
        case null
        case inherit
        /// Appends to a file (created if missing).
        case file(String)
        /// Only for stderr: the same destination as stdout.
        case stdout
    }

    public enum Input: Sendable {
        case pipe
        case null
        case inherit
    }

    public struct SpawnError: Error, CustomStringConvertible {
        public var executable: String
        public var errno: Int32
        public var description: String { "cannot start \(executable): \(String(cString: strerror(errno)))" }
    }

    /// Starts `executable` (a path, or a name looked up in `PATH`). With `newProcessGroup`, the
    /// child leads its own process group so `signalGroup` reaches everything it starts.
    public init(
        _ executable: String, _ arguments: [String], environment: [String: String]? = nil, directory: String? = nil,
        stdin: Input = .null, stdout: Output = .pipe, stderr: Output = .pipe, newProcessGroup: Bool = false
    ) throws {
        guard let path = ChildProcess.find(executable, environment: environment) else {
            throw SpawnError(executable: executable, errno: ENOENT)
        }
        self.executable = path
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        Self.configure(&attributes, newProcessGroup: newProcessGroup)
        let (toClose, ours) = Self.redirect(&actions, stdin: stdin, stdout: stdout, stderr: stderr)
        if let directory { sluice_posix_spawn_file_actions_addchdir(&actions, directory) }
        // The child gets stdin, stdout and stderr and nothing else. Descriptors opened elsewhere
        // in this process without O_CLOEXEC (Foundation's file writes among them) would otherwise
        // live on in long-running children: a script still open for writing in one cannot be
        // executed (ETXTBSY), and a plugin should not hold the controller's sockets.
        sluice_posix_spawn_file_actions_addclosefrom(&actions, 3)
        let (rc, child) = Self.spawn(path, arguments, environment: environment, &actions, &attributes)
        toClose.forEach { close($0) }
        guard rc == 0 else {
            ours.filter { $0 >= 0 }.forEach { close($0) }
            throw SpawnError(executable: path, errno: rc)
        }
        pid = child
        stdinFD = ours[0]
        stdoutFD = ours[1]
        stderrFD = ours[2]
    }

    /// Signals unblocked and at their defaults in the child, whatever this process does with them.
    private static func configure(_ attributes: inout posix_spawnattr_t, newProcessGroup: Bool) {
        var flags = Int32(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF)
        if newProcessGroup {
            flags |= Int32(POSIX_SPAWN_SETPGROUP)
            posix_spawnattr_setpgroup(&attributes, 0)
        }
        posix_spawnattr_setflags(&attributes, Int16(flags))
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        var defaultSignals = sigset_t()
        sigemptyset(&defaultSignals)
        for s in [SIGPIPE, SIGTERM, SIGINT, SIGHUP, SIGCHLD] { sigaddset(&defaultSignals, s) }
        posix_spawnattr_setsigdefault(&attributes, &defaultSignals)
    }

    /// The child's descriptors 0–2: the ends this process closes once the child runs, and the
    /// ones it keeps (stdin's write end, stdout's and stderr's read ends; -1 for none).
    private static func redirect(_ actions: inout posix_spawn_file_actions_t, stdin: Input, stdout: Output, stderr: Output) -> (
        toClose: [Int32], ours: [Int32]
    ) {
        var toClose: [Int32] = []
        var ours: [Int32] = [-1, -1, -1]
        func pipePair() -> (read: Int32, write: Int32) {
            var fds: [Int32] = [0, 0]
            _ = sluice_pipe_cloexec(&fds)
            return (fds[0], fds[1])
        }
        switch stdin {
        case .pipe:
            let p = pipePair()
            posix_spawn_file_actions_adddup2(&actions, p.read, 0)
            toClose.append(p.read)
            ours[0] = p.write
        case .null:
            posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        case .inherit:
            break
        }
        for (fd, output) in [(Int32(1), stdout), (Int32(2), stderr)] {
            switch output {
            case .pipe:
                let p = pipePair()
                posix_spawn_file_actions_adddup2(&actions, p.write, fd)
                toClose.append(p.write)
                ours[Int(fd)] = p.read
            case .null:
                posix_spawn_file_actions_addopen(&actions, fd, "/dev/null", O_WRONLY, 0)
            case .inherit:
                break
            case .file(let path):
                posix_spawn_file_actions_addopen(&actions, fd, path, O_WRONLY | O_CREAT | O_APPEND, 0o644)
            case .stdout:
                posix_spawn_file_actions_adddup2(&actions, 1, 2)
            }
        }
        return (toClose, ours)
    }

    private static func spawn(
        _ path: String, _ arguments: [String], environment: [String: String]?, _ actions: inout posix_spawn_file_actions_t,
        _ attributes: inout posix_spawnattr_t
    ) -> (rc: Int32, pid: pid_t) {
        let argv = ([path] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var env = environment ?? ChildProcess.currentEnvironment()
        if environment != nil, env["PATH"] == nil { env["PATH"] = ChildProcess.currentEnvironment()["PATH"] }
        let envp = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { envp.forEach { free($0) } }
        var child: pid_t = 0
        var rc = posix_spawn(&child, path, &actions, &attributes, argv, envp)
        // ETXTBSY: a script written a moment ago is still open for writing in a process forked
        // from this one meanwhile (a race every program that writes and runs scripts has). It
        // passes once that child execs; retry briefly.
        var attempts = 0
        while rc == ETXTBSY, attempts < 50 {
            usleep(20_000)
            attempts += 1
            rc = posix_spawn(&child, path, &actions, &attributes, argv, envp)
        }
        return (rc, child)
    }

    deinit {
        let closeStdin = stdinClosed.withLock { !$0 }
        for fd in [closeStdin ? stdinFD : -1, stdoutFD, stderrFD] where fd >= 0 { close(fd) }
    }

    /// Closes the child's stdin (it reads end-of-file), once.
    public func closeStdin() {
        stdinClosed.withLock { closed in
            guard !closed, stdinFD >= 0 else { return }
            close(stdinFD)
            closed = true
        }
    }

    public static func currentEnvironment() -> [String: String] {
        var out: [String: String] = [:]
        var p = environ
        while let entry = p.pointee {
            let s = String(cString: entry)
            if let eq = s.firstIndex(of: "=") { out[String(s[..<eq])] = String(s[s.index(after: eq)...]) }
            p += 1
        }
        return out
    }

    public static func find(_ name: String, environment: [String: String]? = nil) -> String? {
        if name.contains("/") { return access(name, X_OK) == 0 ? name : nil }
        let path = environment?["PATH"] ?? currentEnvironment()["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for dir in path.split(separator: ":") where access("\(dir)/\(name)", X_OK) == 0 {
            return "\(dir)/\(name)"
        }
        return nil
    }

    public func signal(_ sig: Int32) { kill(pid, sig) }

    /// Signals the child's whole process group (see `newProcessGroup`).
    public func signalGroup(_ sig: Int32) { kill(-pid, sig) }

    /// The exit status if the child has exited: its exit code, or 128 + the signal that killed it.
    public func poll() -> Int32? {
        exitStatus.withLock { exitStatus in
            if let exitStatus { return exitStatus }
            var status: Int32 = 0
            let r = waitpid(pid, &status, WNOHANG)
            if r == pid { exitStatus = Self.decode(status) }
            if r < 0 && errno == ECHILD { exitStatus = exitStatus ?? -1 }
            return exitStatus
        }
    }

    public var isRunning: Bool { poll() == nil }

    /// Blocks the calling thread until the child exits.
    @discardableResult
    public func wait() -> Int32 {
        while true {
            if let s = poll() { return s }
            usleep(5_000)
        }
    }

    /// SIGTERM, then SIGKILL after `grace` seconds; returns the exit status.
    @discardableResult
    public func terminate(grace: Double = 5, group: Bool = false) -> Int32 {
        if let s = poll() { return s }
        group ? signalGroup(SIGTERM) : signal(SIGTERM)
        let deadline = monotonicSeconds() + grace
        while monotonicSeconds() < deadline {
            if let s = poll() { return s }
            usleep(5_000)
        }
        group ? signalGroup(SIGKILL) : signal(SIGKILL)
        return wait()
    }

    static func decode(_ status: Int32) -> Int32 {
        let signal = status & 0x7f
        return signal == 0 ? (status >> 8) & 0xff : 128 + signal
    }
}

public func monotonicSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}
