import Sync
import Testing

/// One derivation of a source's name for every command: `sync` and `run` over the same repository
/// and path read and write the same inventory.
@Suite struct SourceNameTests {
    @Test(arguments: [
        ("https://git.example.com/ml/models.git", "", "models"),
        ("https://git.example.com/ml/models.git", "apps/prod", "models-apps-prod"),
        ("git@git.example.com:ml/Models.git", "", "models"),
        ("/srv/repos/platform/", "clusters/eu_west", "platform-clusters-eu-west"),
        (".", "", "default"),
        ("https://x/" + String(repeating: "a", count: 49) + ".git", "b", String(repeating: "a", count: 49)),
        ("https://x/café.git", "", "caf"),
    ])
    func derivedNames(repo: String, path: String, expected: String) {
        #expect(SourceName.derive(repo: repo, path: path) == expected)
    }

    @Test func givenNamesAreMadeValid() {
        #expect(SourceName.sanitize("My_Source") == "my-source")
        #expect(SourceName.sanitize("--") == "default")
    }
}
