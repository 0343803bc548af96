import Foundation
import Git

#if canImport(Glibc)
    import Glibc
#endif

/// One commit's files on disk for a render tool, under a fresh directory of its own. Every path
/// is created relative to that directory's descriptor, one component at a time, never following
/// a link and never replacing what exists: even a name the tree walk let through could not land
/// outside it. Removed when released.
final class Checkout {
    let root: String
    private let rootDescriptor: Int32

    /// A new directory under `parent` (created if missing), readable by this user only.
    init(under parent: String) throws {
        try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
        var template = Array("\(parent)/sluice-checkout-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw CheckoutError(path: parent, message: "cannot create a directory: \(Self.errnoText())") }
        root = String(cString: made)
        rootDescriptor = open(root, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard rootDescriptor >= 0 else { throw CheckoutError(path: root, message: "cannot open: \(Self.errnoText())") }
    }

    deinit {
        close(rootDescriptor)
        try? FileManager.default.removeItem(atPath: root)
    }

    /// Writes `contents` at `path` (relative, `/`-separated).
    func write(_ path: String, _ contents: [UInt8]) throws {
        let parts = path.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        for part in parts where part.isEmpty || part == "." || part == ".." {
            throw CheckoutError(path: path, message: "not a path inside the checkout")
        }
        var directory = dup(rootDescriptor)
        defer { close(directory) }
        for part in parts.dropLast() {
            if mkdirat(directory, part, 0o700) != 0, errno != EEXIST {
                throw CheckoutError(path: path, message: "cannot create directory \(part): \(Self.errnoText())")
            }
            let next = openat(directory, part, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            guard next >= 0 else { throw CheckoutError(path: path, message: "\(part) is not a directory of the checkout: \(Self.errnoText())") }
            close(directory)
            directory = next
        }
        let file = openat(directory, parts[parts.count - 1], O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard file >= 0 else { throw CheckoutError(path: path, message: "cannot create: \(Self.errnoText())") }
        defer { close(file) }
        var offset = 0
        while offset < contents.count {
            let n = contents[offset...].withUnsafeBytes { Glibc.write(file, $0.baseAddress, $0.count) }
            if n < 0, errno == EINTR { continue }
            guard n > 0 else { throw CheckoutError(path: path, message: "cannot write: \(Self.errnoText())") }
            offset += n
        }
    }

    static func errnoText() -> String { String(cString: strerror(errno)) }
}

/// A file of a commit could not be written for its render.
struct CheckoutError: Error, CustomStringConvertible {
    var path: String
    var message: String
    var description: String { "checkout \(path): \(message)" }
}
