import Foundation
import Values

/// Everything the CLI prints. Much of it came from the cluster or git (annotations, messages,
/// commit trailers, manifests), so what reaches the terminal is made printable here: control
/// characters other than newline and tab are shown escaped (`\x1b`), never acted on. With colour
/// on, the colour and clear-screen sequences Sluice itself writes are let through.
enum Terminal {
    static func error(_ message: String) {
        FileHandle.standardError.write(Data(printable("error: " + message + "\n", color: useColor(2)).utf8))
    }

    static func warning(_ message: String) {
        FileHandle.standardError.write(Data(printable("warning: " + message + "\n", color: useColor(2)).utf8))
    }

    static func out(_ text: String) {
        FileHandle.standardOutput.write(Data(printable(text, color: useColor()).utf8))
    }

    /// Colour on a terminal, never when piped or when NO_COLOR is set (https://no-color.org).
    static func useColor(_ fd: Int32 = 1) -> Bool {
        let env = ProcessInfo.processInfo.environment
        if let v = env["NO_COLOR"], !v.isEmpty { return false }
        if env["TERM"] == "dumb" { return false }
        return isatty(fd) != 0
    }

    /// `text` with every control character escaped but newline and tab; with `color`, SGR
    /// sequences (`ESC [ digits ; m`) and `ESC [H`, `ESC [2J` are kept.
    static func printable(_ text: String, color: Bool) -> String {
        let scalars = Array(text.unicodeScalars)
        var out = String.UnicodeScalarView()
        var i = 0
        while i < scalars.count {
            let s = scalars[i]
            if s == "\u{1B}", color, let end = allowedSequenceEnd(scalars, from: i) {
                out.append(contentsOf: scalars[i...end])
                i = end + 1
                continue
            }
            if s == "\n" || s == "\t" || !Printable.isControl(s) {
                out.append(s)
            } else {
                out.append(contentsOf: Printable.escape(s).unicodeScalars)
            }
            i += 1
        }
        return String(out)
    }

    private static func allowedSequenceEnd(_ s: [Unicode.Scalar], from i: Int) -> Int? {
        guard i + 2 < s.count, s[i + 1] == "[" else { return nil }
        var j = i + 2
        while j < s.count, j - i < 16, ("0"..."9").contains(s[j]) || s[j] == ";" { j += 1 }
        guard j < s.count else { return nil }
        switch s[j] {
        case "m": return j
        case "H" where j == i + 2: return j
        case "J" where s[i + 2..<j].map(String.init).joined() == "2": return j
        default: return nil
        }
    }

}
