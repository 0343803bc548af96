internal import CYAML

extension YAML {
    /// Block-style YAML for a value. Any string that would read back as another type (`"yes"`,
    /// `"0x1F"`, `"1.0"`, `""`) is quoted, so `parse(emit(v)) == v`; multi-line strings use
    /// literal blocks so a diff of a config file stays readable.
    public static func emit(_ value: Value) throws -> String {
        try emit(documents: [value])
    }

    /// A multi-document stream, documents separated by `---`.
    public static func emit(documents: [Value]) throws -> String {
        let emitter = UnsafeMutablePointer<yaml_emitter_t>.allocate(capacity: 1)
        defer { emitter.deallocate() }
        guard yaml_emitter_initialize(emitter) == 1 else {
            throw YAMLError(.encoding, "libyaml could not initialise an emitter")
        }
        defer { yaml_emitter_delete(emitter) }
        let output = OutputBuffer()
        return try withExtendedLifetime(output) {
            yaml_emitter_set_output(
                emitter,
                { data, buffer, size in
                    guard let data, let buffer else { return 0 }
                    let out = Unmanaged<OutputBuffer>.fromOpaque(data).takeUnretainedValue()
                    out.bytes.append(contentsOf: UnsafeBufferPointer(start: buffer, count: size))
                    return 1
                }, Unmanaged.passUnretained(output).toOpaque())
            yaml_emitter_set_unicode(emitter, 1)
            yaml_emitter_set_width(emitter, -1)
            yaml_emitter_set_indent(emitter, 2)
            let writer = EventWriter(emitter: emitter)
            try writer.emit { yaml_stream_start_event_initialize(&$0, YAML_UTF8_ENCODING) }
            for document in documents {
                try writer.emit { yaml_document_start_event_initialize(&$0, nil, nil, nil, 1) }
                try writer.write(document)
                try writer.emit { yaml_document_end_event_initialize(&$0, 1) }
            }
            try writer.emit { yaml_stream_end_event_initialize(&$0) }
            return String(decoding: output.bytes, as: UTF8.self)
        }
    }
}

/// Collects what libyaml writes; reached from the C write handler through its `data` pointer.
private final class OutputBuffer {
    var bytes: [UInt8] = []
}

private struct EventWriter {
    let emitter: UnsafeMutablePointer<yaml_emitter_t>

    func emit(_ initialize: (inout yaml_event_t) -> Int32) throws {
        var event = yaml_event_t()
        guard initialize(&event) == 1 else { throw YAMLError(.encoding, "libyaml could not create an event") }
        guard yaml_emitter_emit(emitter, &event) == 1 else {
            let problem = emitter.pointee.problem.map { String(cString: $0) } ?? "unknown error"
            throw YAMLError(.encoding, "libyaml emitter: \(problem)")
        }
    }

    func write(_ value: Value) throws {
        switch value {
        case .null: try scalar("null", style: YAML_PLAIN_SCALAR_STYLE)
        case .bool(let b): try scalar(b ? "true" : "false", style: YAML_PLAIN_SCALAR_STYLE)
        case .int(let i): try scalar(String(i), style: YAML_PLAIN_SCALAR_STYLE)
        case .double(let d): try scalar(Self.yamlFloat(d), style: YAML_PLAIN_SCALAR_STYLE)
        case .string(let s): try scalar(s, style: Self.style(for: s, isKey: false))
        case .array(let items):
            try emit { yaml_sequence_start_event_initialize(&$0, nil, nil, 1, YAML_BLOCK_SEQUENCE_STYLE) }
            for item in items { try write(item) }
            try emit { yaml_sequence_end_event_initialize(&$0) }
        case .object(let entries):
            try emit { yaml_mapping_start_event_initialize(&$0, nil, nil, 1, YAML_BLOCK_MAPPING_STYLE) }
            for (k, v) in entries {
                try scalar(k, style: Self.style(for: k, isKey: true))
                try write(v)
            }
            try emit { yaml_mapping_end_event_initialize(&$0) }
        }
    }

    func scalar(_ text: String, style: yaml_scalar_style_t) throws {
        var text = text
        // libyaml copies the value during initialisation, so a borrowed pointer is enough.
        try text.withUTF8 { buffer in
            if let base = buffer.baseAddress, buffer.count > 0 {
                let p = UnsafeMutablePointer(mutating: base)
                try emit { yaml_scalar_event_initialize(&$0, nil, nil, p, Int32(buffer.count), 1, 1, style) }
            } else {
                var empty: UInt8 = 0
                try withUnsafeMutablePointer(to: &empty) { p in
                    try emit { yaml_scalar_event_initialize(&$0, nil, nil, p, 0, 1, 1, style) }
                }
            }
        }
    }

    static func style(for s: String, isKey: Bool) -> yaml_scalar_style_t {
        if ScalarResolver.needsQuoting(s) { return YAML_DOUBLE_QUOTED_SCALAR_STYLE }
        if s.utf8.contains(UInt8(ascii: "\n")) { return isKey ? YAML_DOUBLE_QUOTED_SCALAR_STYLE : YAML_LITERAL_SCALAR_STYLE }
        return YAML_PLAIN_SCALAR_STYLE
    }

    /// Swift's shortest round-trip form always reads back as a float here ("1.0", "1e+20").
    static func yamlFloat(_ d: Double) -> String {
        if d.isNaN { return ".nan" }
        if d.isInfinite { return d < 0 ? "-.inf" : ".inf" }
        return d.description
    }
}
