/// The fields of a ModelDeployment that name its model version: what a revert puts back and
/// what a promotion writes.
public struct ModelVersionFields: Sendable, Equatable, Codable {
    public var version: String
    public var image: String
    public var uri: String?

    public init(version: String, image: String, uri: String?) {
        self.version = version
        self.image = image
        self.uri = uri
    }
}
