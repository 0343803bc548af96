import Foundation
public import Manifests
public import YAML

/// A file to read objects from: its path (relative to the repository or directory root) and bytes.
public struct SourceFile: Sendable {
    public var path: String
    public var contents: [UInt8]

    public init(path: String, contents: [UInt8]) {
        self.path = path
        self.contents = contents
    }
}

/// Everything read from a set of files: the objects, and every problem found (not only the first).
public struct LoadResult: Sendable {
    public var manifests: [Manifest] = []
    public var errors: [ManifestError] = []
    public var fileCount = 0
    /// For a render: how the tool was isolated (`RenderIsolation`'s description), for the
    /// source's status.
    public var renderIsolation: String?

    public init() {}
    public var isValid: Bool { errors.isEmpty }
}

/// Turns manifest files into desired objects.
public enum ManifestLoader {
    /// `*.yaml`, `*.yml` and `*.json`, outside hidden directories (`.github/workflows` holds YAML
    /// that is not Kubernetes objects).
    public static func isManifestFile(_ path: String) -> Bool {
        let components = path.split(separator: "/")
        guard let last = components.last, !components.contains(where: { $0.hasPrefix(".") && $0 != "." && $0 != ".." }) else {
            return false
        }
        return last.hasSuffix(".yaml") || last.hasSuffix(".yml") || last.hasSuffix(".json")
    }

    /// Reads every file in a stable order (by path) and reports every problem. With `keepNodes`
    /// false the manifests come without their YAML nodes, which are several times the size of
    /// the objects: a controller that only applies them needs no line numbers after loading.
    /// The files together may cost at most `budget`; the file that overdraws it is an error, and
    /// the files after it are not read (that they were not is an error too).
    public static func load(
        _ files: [SourceFile], limits: ParseLimits = .default, budget: ParseBudget.Limits = .default, keepNodes: Bool = true
    ) -> LoadResult {
        var result = LoadResult()
        var seen: [ObjectReference.Key: ObjectSource] = [:]
        var spent = ParseBudget(budget)
        let ordered = files.sorted(by: { $0.path < $1.path })
        for (index, file) in ordered.enumerated() {
            result.fileCount += 1
            let documents: [Document]
            do {
                documents = try YAML.documents(in: file.contents, file: file.path, limits: limits, budget: &spent)
            } catch let e as YAMLError {
                result.errors.append(ManifestError(file: file.path, line: e.mark.line, column: e.mark.column, message: e.message))
                if e.kind == .overBudget {
                    let rest = ordered.count - index - 1
                    if rest > 0 {
                        result.errors.append(
                            ManifestError(file: ordered[index + 1].path, message: "not read, nor \(rest - 1) files after it: the budget is spent"))
                    }
                    result.fileCount = ordered.count
                    break
                }
                continue
            } catch {
                result.errors.append(ManifestError(file: file.path, message: "\(error)"))
                continue
            }
            for doc in documents where !doc.isEmpty {
                do {
                    try doc.root.checkJSONRepresentable(file: file.path)
                } catch let e as YAMLError {
                    result.errors.append(ManifestError(file: file.path, document: doc.index, line: e.mark.line, column: e.mark.column, message: e.message))
                    continue
                } catch {}
                for (object, node) in expand(doc.root) {
                    let source = ObjectSource(file: file.path, document: doc.index, line: node.mark.line)
                    var manifest = Manifest(object: object, source: source, node: node)
                    let problems = validate(manifest)
                    if !problems.isEmpty {
                        result.errors += problems
                        continue
                    }
                    if !keepNodes { manifest.node = nil }
                    let key = manifest.reference.key
                    if let first = seen[key] {
                        result.errors.append(
                            ManifestError(
                                file: file.path, document: doc.index, line: source.line, object: manifest.reference.description,
                                message: "defined twice: also at \(first)"))
                        continue
                    }
                    seen[key] = source
                    result.manifests.append(manifest)
                }
            }
        }
        return result
    }

    /// Reads a directory (or a single file) from the file system: `sluice diff --local`,
    /// `sluice validate`. Files are read only while they fit the budget's bytes, so a huge
    /// directory is refused before it is in memory.
    public static func load(path: String, limits: ParseLimits = .default, budget: ParseBudget.Limits = .default) throws -> LoadResult {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw ManifestError(file: path, message: "no such file or directory")
        }
        if !isDirectory.boolValue {
            // A size that cannot be read is an error, not 0: the limit must see the file.
            guard let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int else {
                throw ManifestError(file: path, message: "cannot read the file's size")
            }
            if size > min(limits.maxInputBytes, budget.maxBytes) {
                throw ManifestError(file: path, message: "\(size) bytes: more than the \(min(limits.maxInputBytes, budget.maxBytes)) bytes one read may hold")
            }
            let data = try Data(contentsOf: URL(fileURLWithPath: path))
            return load([SourceFile(path: path, contents: Array(data))], limits: limits, budget: budget)
        }
        var files: [SourceFile] = []
        var bytes = 0
        let root = URL(fileURLWithPath: path).standardizedFileURL
        // A directory that cannot be listed is an error, never an empty set of objects (which a
        // sync would read as "everything was removed").
        guard let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey]) else {
            throw ManifestError(file: path, message: "cannot list the directory")
        }
        for case let url as URL in walker {
            let relative = String(url.standardizedFileURL.path.dropFirst(root.path.count).drop(while: { $0 == "/" }))
            if url.lastPathComponent.hasPrefix(".") {
                walker.skipDescendants()
                continue
            }
            // Directories, links and sockets are not manifests; a manifest whose size cannot be
            // read is an error, not 0, so the limit sees it.
            guard (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true, isManifestFile(relative) else { continue }
            guard let size = (try? url.resourceValues(forKeys: [.fileSizeKey]))?.fileSize else {
                throw ManifestError(file: relative, message: "cannot read the file's size")
            }
            bytes += size
            if bytes > budget.maxBytes {
                throw ManifestError(file: relative, message: "the files under \(path) pass \(budget.maxBytes) bytes together (the limit one read may hold)")
            }
            files.append(SourceFile(path: relative, contents: Array(try Data(contentsOf: url))))
        }
        return load(files, limits: limits, budget: budget)
    }

    /// A document's objects: itself, or the items of a `List` (`kind: List`, `ConfigMapList`...).
    static func expand(_ root: Node) -> [(Value, Node)] {
        let value = root.value
        if let kind = value["kind"]?.stringValue, kind.hasSuffix("List"), case .sequence(let items)? = root["items"]?.content {
            return items.map { ($0.value, $0) }
        }
        return [(value, root)]
    }

    /// What the API server would refuse before even looking at the kind, and what Sluice needs
    /// to track the object (a name: `generateName` cannot be reconciled).
    static func validate(_ m: Manifest) -> [ManifestError] {
        var errors: [ManifestError] = []
        func fail(_ path: [String], _ message: String) { errors.append(ManifestError(m, at: path, message)) }
        guard case .object = m.object else {
            fail([], "a document must be a mapping (an object), not a \(m.object.typeName)")
            return errors
        }
        for field in ["apiVersion", "kind"] {
            switch m.object[field] {
            case nil, .null?: fail([field], "missing (every object needs apiVersion and kind)")
            case .string(let s)? where s.isEmpty: fail([field], "must not be empty")
            case .string?: break
            case let other?: fail([field], "must be a string, not a \(other.typeName)")
            }
        }
        guard let metadata = m.object["metadata"], case .object = metadata else {
            fail(["metadata"], m.object["metadata"] == nil ? "missing (every object needs metadata.name)" : "must be a mapping")
            return errors
        }
        switch metadata["name"] {
        case .string(let s)?:
            if let problem = nameProblem(s, kind: m.kind) { fail(["metadata", "name"], problem) }
        case nil, .null?:
            if metadata["generateName"] != nil {
                fail(["metadata", "generateName"], "generateName cannot be reconciled from git: give metadata.name")
            } else {
                fail(["metadata", "name"], "missing")
            }
        case let other?:
            fail(["metadata", "name"], "must be a string, not a \(other.typeName)")
        }
        switch metadata["namespace"] {
        case nil, .null?: break
        case .string(let s)?:
            if !isDNSLabel(s) { fail(["metadata", "namespace"], "'\(s)' is not a valid namespace name (lowercase letters, digits and '-', at most 63)") }
        case let other?:
            fail(["metadata", "namespace"], "must be a string, not a \(other.typeName)")
        }
        for map in ["labels", "annotations"] {
            guard let v = metadata[map], !v.isNull else { continue }
            guard let entries = v.objectValue else {
                fail(["metadata", map], "must be a mapping of strings")
                continue
            }
            for (k, v) in entries where v.stringValue == nil {
                fail(["metadata", map, k], "must be a string, not a \(v.typeName) (quote it: \"\(k)\": \"...\")")
            }
        }
        return errors
    }

    /// Why the API server would refuse `name` for an object of `kind`, or nil.
    static func nameProblem(_ s: String, kind: String) -> String? {
        if s.isEmpty { return "must not be empty" }
        if s == "." || s == ".." || s.contains("/") || s.contains("%") { return "'\(s)' is not a valid name (no '/', '%', '.' or '..')" }
        if s.utf8.count > 253 { return "longer than 253 characters" }
        // As the API server checks it: a name that could also hide terminal escapes, spaces or
        // capitals is refused here, before any request.
        if !pathSegmentNameKinds.contains(kind), !isDNSSubdomain(s) {
            return
                "'\(Printable.escaped(s, limit: 80))' is not a valid name (lowercase letters, digits, '-' and '.', starting and ending with a letter or digit)"
        }
        return nil
    }

    /// Kinds whose names the API server checks only as path segments (no '/', '%', '.', '..'):
    /// RBAC's (`system:controller:...`). Every other kind, custom resources included, needs a
    /// DNS-1123 subdomain.
    static let pathSegmentNameKinds: Set<String> = ["Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding"]

    /// RFC 1123 subdomain: dot-separated labels of lowercase letters, digits and '-', 253 at most.
    public static func isDNSSubdomain(_ s: String) -> Bool {
        guard !s.isEmpty, s.utf8.count <= 253 else { return false }
        return s.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { isDNSLabel(String($0)) }
    }

    /// A name as an error may show it: control characters escaped.
    public static func isDNSLabel(_ s: String) -> Bool {
        guard !s.isEmpty, s.utf8.count <= 63, let first = s.utf8.first, let last = s.utf8.last else { return false }
        func alnum(_ c: UInt8) -> Bool { (c >= 97 && c <= 122) || (c >= 48 && c <= 57) }
        return alnum(first) && alnum(last) && s.utf8.allSatisfy { alnum($0) || $0 == UInt8(ascii: "-") }
    }
}
