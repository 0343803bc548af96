import Testing
import Values

/// One definition of a control character for every sink: a hostile name shown in an error, on
/// the terminal or in a commit message cannot move the cursor, forge a line or reorder the text.
@Suite struct PrintableTests {
    @Test func controlsAreEscapedAndTextIsKept() {
        #expect(Printable.escaped("evil\u{1B}[2J") == "evil\\x1b[2J")
        #expect(Printable.escaped("a\nb\u{7F}") == "a\\x0ab\\x7f")
        #expect(Printable.escaped("caf\u{E9} \u{6A21}\u{578B}") == "caf\u{E9} \u{6A21}\u{578B}", "letters of any script stay")
    }

    /// "Trojan Source": a right-to-left override shows `admin` where the bytes say otherwise.
    @Test func bidirectionalOverridesAndSeparatorsAreEscaped() {
        #expect(Printable.escaped("user\u{202E}nimda") == "user\\u{202e}nimda")
        #expect(Printable.escaped("a\u{2066}b\u{2028}c") == "a\\u{2066}b\\u{2028}c")
        #expect(Printable.escaped("\u{85}next") == "\\x85next", "C1 controls (NEL) too")
    }

    @Test func theLimitCountsTheEscapedText() {
        #expect(Printable.escaped(String(repeating: "\u{1B}", count: 10), limit: 8) == "\\x1b\\x1b")
    }
}
