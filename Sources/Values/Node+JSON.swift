extension Node {
    /// Kubernetes objects travel as JSON, which has no infinity or NaN: kubectl refuses a
    /// manifest holding `.inf`, and so does Sluice, pointing at the value.
    public func checkJSONRepresentable(file: String? = nil) throws {
        switch content {
        case .scalar(.double(let d)) where !d.isFinite:
            throw YAMLError(
                .nonFiniteNumber, "\(d.isNaN ? ".nan" : d > 0 ? ".inf" : "-.inf") cannot be represented in JSON (quote it to make it a string)", file: file,
                mark: mark)
        case .scalar:
            return
        case .sequence(let items):
            for item in items { try item.checkJSONRepresentable(file: file) }
        case .mapping(let entries):
            for (_, e) in entries { try e.value.checkJSONRepresentable(file: file) }
        }
    }
}
