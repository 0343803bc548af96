import Foundation
import YAML

/// Kubernetes protobuf bodies (`Content-Type: application/vnd.kubernetes.protobuf`, what
/// kubectl's typed clients send for built-in kinds) decoded into the JSON the same object would
/// have been: the `k8s\0` envelope and its `runtime.Unknown` message, then the object's message
/// read field by field against `BuiltinTypes`, with Go's JSON rules for empty values (left out
/// under omitempty, `{}` for a struct, `null` for a zero time).
enum ProtobufDecoder {
    typealias Field = BuiltinTypes.Field

    static var messages: [String: [Field]] { BuiltinTypes.messages }

    struct Unsupported: Error, CustomStringConvertible {
        var description: String
    }

    static let magic: [UInt8] = [0x6b, 0x38, 0x73, 0x00]  // "k8s\0"

    /// A whole request body: envelope, type, object.
    static func decodeBody(_ body: [UInt8]) throws -> Value {
        guard body.starts(with: magic) else { throw Unsupported(description: "protobuf body without the k8s envelope") }
        var apiVersion = ""
        var kind = ""
        var raw: ArraySlice<UInt8> = []
        for (n, p) in try ProtobufReader.fields(body[4...]) {
            guard case .bytes(let b) = p else { continue }
            switch n {
            case 1:
                for (m, q) in try ProtobufReader.fields(b) {
                    guard case .bytes(let s) = q else { continue }
                    if m == 1 { apiVersion = String(decoding: s, as: UTF8.self) } else if m == 2 { kind = String(decoding: s, as: UTF8.self) }
                }
            case 2: raw = b
            case 3 where !b.isEmpty: throw Unsupported(description: "content encoding \(String(decoding: b, as: UTF8.self)) is not supported")
            default: break
            }
        }
        guard let root = BuiltinTypes.message(apiVersion: apiVersion, kind: kind) else {
            throw Unsupported(description: "\(kind) (\(apiVersion)) as protobuf is not decoded by the emulator; send it as JSON")
        }
        var object = try decode(raw, as: root)
        var typed: Value = ["apiVersion": .string(apiVersion), "kind": .string(kind)]
        for (k, v) in object.objectValue ?? [:] { typed[k] = v }
        object = typed
        return object
    }

    /// One message as JSON.
    static func decode(_ bytes: ArraySlice<UInt8>, as message: String) throws -> Value {
        guard let fields = messages[message] else { throw Unsupported(description: "no protobuf schema for \(message)") }
        var seen: [Int: [ProtobufReader.Payload]] = [:]
        for (n, p) in try ProtobufReader.fields(bytes) { seen[n, default: []].append(p) }
        var out = Value.emptyObject
        for field in fields {
            let payloads = seen[field.number] ?? []
            if field.inline {
                let nested = try payloads.last.map { try nestedMessage($0, field, in: message) } ?? zero(field.type)
                for (k, v) in nested.objectValue ?? [:] { out[k] = v }
                continue
            }
            if let v = try value(field, payloads, in: message) { out[field.json] = v }
        }
        return out
    }

    static func nestedMessage(_ payload: ProtobufReader.Payload, _ field: Field, in parent: String) throws -> Value {
        guard case .bytes(let b) = payload, field.type.hasPrefix("m:") else { throw malformed(field, parent) }
        return try decode(b, as: String(field.type.dropFirst(2)))
    }

    static func malformed(_ field: Field, _ message: String) -> ProtobufReader.Malformed {
        ProtobufReader.Malformed(description: "field \(field.number) (\(field.json)) of \(message) has the wrong wire type")
    }

    /// The JSON for one field, nil when Go's JSON would leave it out.
    static func value(_ field: Field, _ payloads: [ProtobufReader.Payload], in message: String) throws -> Value? {
        if field.type.hasPrefix("map:") {
            let parts = field.type.split(separator: ":", maxSplits: 2).map(String.init)
            var map = Value.emptyObject
            for p in payloads {
                guard case .bytes(let entry) = p else { throw malformed(field, message) }
                var key = ""
                var value: Value = .null
                for (n, q) in try ProtobufReader.fields(entry) {
                    if n == 1, case .bytes(let k) = q { key = String(decoding: k, as: UTF8.self) }
                    if n == 2 { value = try scalar(parts[2], q, field, message) }
                }
                map[key] = value
            }
            if map.objectValue!.isEmpty && field.omitEmpty { return Optional.none }
            return map
        }
        if field.repeated {
            var items: [Value] = []
            for p in payloads {
                if case .bytes(let b) = p, ["int", "bool"].contains(field.type) {
                    // A packed run of varints.
                    var r = ProtobufReader(b)
                    while !r.bytes.isEmpty { items.append(try scalar(field.type, .varint(try r.varint()), field, message)) }
                } else {
                    items.append(try scalar(field.type, p, field, message))
                }
            }
            if items.isEmpty && field.omitEmpty { return Optional.none }
            return .array(items)
        }
        guard let payload = payloads.last else {
            // Absent: what Go's JSON writes for the zero value of a non-pointer field.
            if field.pointer { return Optional.none }
            if field.type.hasPrefix("m:") { return zero(field.type) }
            if field.type == "time" || field.type == "microtime" { return .null }
            if field.omitEmpty { return Optional.none }
            return zeroScalar(field.type)
        }
        let v = try scalar(field.type, payload, field, message)
        if !field.pointer, field.omitEmpty, isZero(v), !field.type.hasPrefix("m:"), field.type != "time", field.type != "microtime" { return Optional.none }
        return v
    }

    static func isZero(_ v: Value) -> Bool {
        switch v {
        case .string(let s): s.isEmpty
        case .int(let i): i == 0
        case .double(let d): d == 0
        case .bool(let b): !b
        case .null: true
        default: false
        }
    }

    static func zeroScalar(_ type: String) -> Value? {
        switch type {
        case "str", "quantity", "bytes": return .string("")
        case "int": return .int(0)
        case "f64": return .double(0)
        case "bool": return .bool(false)
        default: return Optional.none  // (a bare nil would be Value.null: Value takes nil literals)
        }
    }

    /// The JSON of a zero struct: its non-omitempty scalars at zero, its structs empty, its times null.
    static func zero(_ type: String) -> Value {
        guard type.hasPrefix("m:"), let fields = messages[String(type.dropFirst(2))] else { return .emptyObject }
        var out = Value.emptyObject
        for f in fields where !f.pointer && !f.repeated && !f.type.hasPrefix("map:") {
            if f.inline {
                for (k, v) in zero(f.type).objectValue ?? [:] { out[k] = v }
            } else if f.type.hasPrefix("m:") {
                out[f.json] = zero(f.type)
            } else if f.type == "time" || f.type == "microtime" {
                out[f.json] = .null
            } else if !f.omitEmpty, let z = zeroScalar(f.type) {
                out[f.json] = z
            }
        }
        return out
    }

    static func scalar(_ type: String, _ p: ProtobufReader.Payload, _ field: Field, _ message: String) throws -> Value {
        switch (type, p) {
        case ("str", .bytes(let b)): return .string(String(decoding: b, as: UTF8.self))
        case ("bytes", .bytes(let b)): return .string(Base64.encode(Array(b)))
        case ("int", .varint(let v)): return .int(Int64(bitPattern: v))
        case ("bool", .varint(let v)): return .bool(v != 0)
        case ("f64", .fixed64(let v)): return .double(Double(bitPattern: v))
        case (_, .bytes(let b)) where type.hasPrefix("m:"): return try decode(b, as: String(type.dropFirst(2)))
        case ("time", .bytes(let b)), ("microtime", .bytes(let b)): return try time(b, micro: type == "microtime")
        case ("duration", .bytes(let b)): return .string(goDuration(try int(b, 1)))
        case ("quantity", .bytes(let b)): return .string(try string(b, 1))
        case ("intstr", .bytes(let b)):
            let fields = try ProtobufReader.fields(b)
            let kind: UInt64 =
                fields.first { $0.number == 1 }.flatMap { f -> UInt64? in if case .varint(let v) = f.payload { return v } else { return nil } } ?? 0
            if kind == 1 { return .string(try string(b, 3)) }
            return .int(try int(b, 2))
        case ("strlist", .bytes(let b)):
            return .array(
                try ProtobufReader.fields(b).compactMap { f -> Value? in
                    if f.number == 1, case .bytes(let s) = f.payload { return .string(String(decoding: s, as: UTF8.self)) }
                    return Optional.none
                })
        case ("fieldsv1", .bytes(let b)), ("raw", .bytes(let b)):
            let raw = try rawBytes(b, 1)
            return raw.isEmpty ? .emptyObject : ((try? JSON.parse(Array(raw))) ?? .emptyObject)
        default:
            throw malformed(field, message)
        }
    }

    static func string(_ b: ArraySlice<UInt8>, _ number: Int) throws -> String {
        String(decoding: try rawBytes(b, number), as: UTF8.self)
    }

    static func rawBytes(_ b: ArraySlice<UInt8>, _ number: Int) throws -> ArraySlice<UInt8> {
        for (n, p) in try ProtobufReader.fields(b) where n == number { if case .bytes(let s) = p { return s } }
        return []
    }

    static func int(_ b: ArraySlice<UInt8>, _ number: Int) throws -> Int64 {
        for (n, p) in try ProtobufReader.fields(b) where n == number { if case .varint(let v) = p { return Int64(bitPattern: v) } }
        return 0
    }

    /// meta/v1 Time and MicroTime: seconds and nanoseconds since the epoch; zero is JSON null.
    static func time(_ b: ArraySlice<UInt8>, micro: Bool) throws -> Value {
        let seconds = try int(b, 1)
        let nanos = try int(b, 2)
        if seconds == 0 && nanos == 0 { return .null }
        let date = Date(timeIntervalSince1970: Double(seconds) + Double(nanos) / 1e9)
        return .string(date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: micro)))
    }

    /// Go's time.Duration.String() for whole and fractional seconds (`1h0m0s`, `1.5s`, `0s`).
    static func goDuration(_ nanos: Int64) -> String {
        if nanos == 0 { return "0s" }
        var n = abs(nanos)
        let sign = nanos < 0 ? "-" : ""
        let hours = n / 3_600_000_000_000
        n %= 3_600_000_000_000
        let minutes = n / 60_000_000_000
        n %= 60_000_000_000
        let seconds = Double(n) / 1e9
        let s = seconds == seconds.rounded() ? String(Int64(seconds)) : String(seconds)
        if hours > 0 { return "\(sign)\(hours)h\(minutes)m\(s)s" }
        if minutes > 0 { return "\(sign)\(minutes)m\(s)s" }
        return "\(sign)\(s)s"
    }
}
