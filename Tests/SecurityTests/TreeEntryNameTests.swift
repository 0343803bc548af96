import Git
import Testing

/// The names a tree may give its entries. Each refused name is one way a hostile commit could
/// land a file outside the checkout or into git's own directory of a checkout.
@Suite struct TreeEntryNameTests {
    static let refusedNames: [(name: [UInt8], why: String)] = [
        ([], "an empty name"),
        (Array(".".utf8), "climbs out"),
        (Array("..".utf8), "climbs out"),
        (Array("../x".utf8), "path separator"),
        (Array("a/b".utf8), "path separator"),
        (Array("..\\..\\x".utf8), "path separator"),
        (Array("x\ny.yaml".utf8), "control character"),
        (Array("x\u{1b}[2J.yaml".utf8), "control character"),
        ([0x61, 0x00, 0x62], "control character"),
        ([0xff, 0x2e, 0x79], "not UTF-8"),
        (Array(".git".utf8), "reserves"),
        (Array(".GIT".utf8), "reserves"),
        (Array(".Git. . ".utf8), "reserves"),
        (Array(".git::$INDEX_ALLOCATION".utf8), "reserves"),
        (Array("GIT~1".utf8), "reserves"),
        (Array(".g\u{200C}it".utf8), "reserves"),
        (Array("\u{FEFF}.git".utf8), "reserves"),
    ]

    @Test(arguments: refusedNames.indices) func refused(_ i: Int) {
        let (name, why) = Self.refusedNames[i]
        let problem = TreeEntryName.problem(name)
        #expect(problem?.contains(why) == true, "\(name): \(problem ?? "accepted")")
    }

    @Test(arguments: ["deployment.yaml", ".gitignore", ".github", "git", "..x", "x..", "café.yaml", ".gitmodules", "values-prod.yaml"])
    func accepted(_ name: String) {
        #expect(TreeEntryName.problem(name) == nil)
    }
}
