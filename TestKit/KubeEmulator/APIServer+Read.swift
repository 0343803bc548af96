import Foundation
import YAML

extension APIServer {
    func get(_ type: ResourceType, namespace: String?, name: String, _ request: APIRequest) throws -> APIResponse {
        try checkNamespaceArgument(type, namespace)
        guard let object = store.get(type.resourceKey, namespace: namespace ?? "", name: name) else {
            throw APIError.notFound(type, name)
        }
        if request.wantsTable {
            return .json(status: 200, Table.make(type, [object], resourceVersion: nil, includeObject: request.query["includeObject"], now: Date()))
        }
        return .json(status: 200, object)
    }

    func checkNamespaceArgument(_ type: ResourceType, _ namespace: String?) throws {
        if type.namespaced, namespace == nil { return }  // list across namespaces is fine; item access needs one
    }

    func list(_ type: ResourceType, namespace: String?, _ request: APIRequest) throws -> APIResponse {
        let labels = try request.query["labelSelector"].flatMap { $0.isEmpty ? nil : try LabelSelector($0) }
        let fields = try request.query["fieldSelector"].flatMap { $0.isEmpty ? nil : try FieldSelector($0) }
        let (all, rv) = store.list(type.resourceKey, namespace: namespace)
        var items = all.filter { (labels?.matches($0) ?? true) && (fields?.matches($0) ?? true) }
        // Pagination: the continue token is the offset into the filtered, key-ordered list.
        var next: String?
        if let limit = request.query["limit"].flatMap(Int.init), limit > 0 {
            let offset = request.query["continue"].flatMap { Int(String(decoding: Array(Data(base64Encoded: $0) ?? Data()), as: UTF8.self)) } ?? 0
            let end = min(items.count, offset + limit)
            if end < items.count { next = Data(String(end).utf8).base64EncodedString() }
            items = offset < items.count ? Array(items[offset..<end]) : []
        }
        if request.wantsTable {
            return .json(status: 200, Table.make(type, items, resourceVersion: String(rv), includeObject: request.query["includeObject"], now: Date()))
        }
        var metadata: Value = ["resourceVersion": .string(String(rv))]
        if let next { metadata["continue"] = .string(next) }
        return .json(status: 200, ["kind": .string(type.listKind), "apiVersion": .string(type.apiVersion), "metadata": metadata, "items": .array(items)])
    }
}
