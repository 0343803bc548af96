import APIGeneration
import Foundation
import TestSupport
import Testing

/// The CRDs and the reference docs' field tables are generated from the API's Swift types
/// (`swift run sluice-dev generate`): what is checked in is what the types say, so the schema the
/// API server enforces, the reader and the docs cannot drift apart.
@Suite struct GeneratedFilesTests {
    static let root = SluiceBinary.repositoryRoot

    static func read(_ path: String) throws -> String { try String(contentsOfFile: "\(root)/\(path)", encoding: .utf8) }

    @Test func theCheckedInCRDsAreTheGeneratedOnes() throws {
        let files = try GeneratedFiles.definitions()
        #expect(Set(files.map(\.path)).isSuperset(of: ["manifests/crd-modeldeployment.yaml", "charts/sluice/crds/modelpipelines.yaml"]))
        for (path, text) in files {
            #expect(try Self.read(path) == text, "\(path) differs from the API's types; run swift run sluice-dev generate")
        }
    }

    @Test func theDocsTablesAreTheGeneratedOnes() throws {
        for (path, text) in try ReferenceTables.documents(read: Self.read) {
            #expect(try Self.read(path) == text, "\(path)'s field tables differ from the API's types; run swift run sluice-dev generate")
        }
    }
}
