/// CustomResourceDefinitions with deep structural schemas, and instances of them.
enum CRDs {
    static let kinds = ["Monitor", "Probe", "Rule", "Receiver", "Policy", "Endpoint"]

    static func kind(_ stack: Corpus.Stack, _ index: Int) -> String {
        let base = kinds[index % kinds.count]
        return stack.name.prefix(1).uppercased() + stack.name.dropFirst() + base
    }

    static func definition(stack: Corpus.Stack, index: Int, depth: Int) -> String {
        let kind = kind(stack, index)
        let plural = kind.lowercased() + "s"
        // Two versions on the smallest CRD of each stack (same schema, no conversion webhook).
        let versions = index == stack.crdDepths.count - 1 ? ["v1", "v1beta1"] : ["v1"]
        var text = """
            apiVersion: apiextensions.k8s.io/v1
            kind: CustomResourceDefinition
            metadata:
              name: \(plural).\(stack.group)
              annotations:
                corpus.example/generated: "true"
              labels:
                app.kubernetes.io/part-of: \(stack.name)
            spec:
              group: \(stack.group)
              names:
                kind: \(kind)
                listKind: \(kind)List
                plural: \(plural)
                singular: \(kind.lowercased())
                shortNames: [\(stack.name.prefix(2))\(kinds[index % kinds.count].prefix(2).lowercased())]
                categories: [all, \(stack.name)]
              scope: Namespaced
              versions:

            """
        for (i, v) in versions.enumerated() {
            // The versions' items sit under `versions:`, two spaces in.
            let block = version(v, storage: i == 0, kind: kind, index: index, depth: depth)
            text += block.split(separator: "\n", omittingEmptySubsequences: false).map { $0.isEmpty ? "" : "  " + $0 }.joined(separator: "\n")
        }
        return text
    }

    /// One served version: printer columns and the structural schema, `depth` levels deep.
    static func version(_ v: String, storage: Bool, kind: String, index: Int, depth: Int) -> String {
        var block = """
            - name: \(v)
              served: true
              storage: \(storage)
              subresources:
                status: {}
              additionalPrinterColumns:
              - {name: Replicas, type: integer, jsonPath: .spec.replicas}
              - {name: Ready, type: string, jsonPath: '.status.conditions[?(@.type=="Ready")].status'}
              - {name: Age, type: date, jsonPath: .metadata.creationTimestamp}
              schema:
                openAPIV3Schema:
                  description: \(kind) is generated for the emulator's real-world corpus.
                  type: object
                  required: [spec]
                  properties:
                    apiVersion: {type: string}
                    kind: {type: string}
                    metadata: {type: object}
                    spec:
                      type: object
                      properties:
                        replicas: {type: integer, format: int32, minimum: 0, maximum: 1000, default: 1}
                        selector:
                          type: object
                          properties:
                            matchLabels: {type: object, additionalProperties: {type: string}}
                          x-kubernetes-map-type: atomic
                        endpoints:
                          type: array
                          x-kubernetes-list-type: map
                          x-kubernetes-list-map-keys: [port, protocol]
                          items:
                            type: object
                            required: [port]
                            properties:
                              port: {type: integer}
                              protocol: {type: string, default: TCP, enum: [TCP, UDP]}
                              path: {type: string}
                              interval: {type: string, pattern: '^[0-9]+(ms|s|m|h)$'}
                        targets: {type: array, items: {type: string}, x-kubernetes-list-type: set}
                        threshold: {x-kubernetes-int-or-string: true}
                        weight: {type: number, minimum: 0.0, maximum: 1.5e3, default: 1000}
                        extra: {type: object, x-kubernetes-preserve-unknown-fields: true}

            """
        block += tree(depth: depth, path: "spec", indent: 12, seed: index + 1)
        block += statusSchema
        return block
    }

    /// Every version's status schema: conditions as a map-list on `type`.
    static let statusSchema = """
                status:
                  type: object
                  properties:
                    observedGeneration: {type: integer, format: int64}
                    conditions:
                      type: array
                      x-kubernetes-list-type: map
                      x-kubernetes-list-map-keys: [type]
                      items:
                        type: object
                        required: [type, status]
                        properties:
                          type: {type: string}
                          status: {type: string, enum: ["True", "False", Unknown]}
                          reason: {type: string}
                          message: {type: string}
                          lastTransitionTime: {type: string, format: date-time}

        """

    /// Nested `properties` under a schema object, at `indent` spaces: three leaves of each kind
    /// and three child objects per level, down to `depth` levels (3^depth objects).
    static func tree(depth: Int, path: String, indent: Int, seed: Int) -> String {
        guard depth > 0 else { return "" }
        let pad = String(repeating: " ", count: indent)
        var text = ""
        for child in 0..<3 {
            let name = "\(["section", "group", "block"][child])\(seed % 7)\(depth)"
            let here = "\(path).\(name)"
            text += "\(pad)\(name):\n"
            text += "\(pad)  description: \(describe(here))\n"
            text += "\(pad)  type: object\n"
            text += "\(pad)  properties:\n"
            text += leaves(here, indent: indent + 4)
            text += tree(depth: depth - 1, path: here, indent: indent + 4, seed: seed * 3 + child)
        }
        return text
    }

    static func leaves(_ path: String, indent: Int) -> String {
        let pad = String(repeating: " ", count: indent)
        return """
            \(pad)name:
            \(pad)  description: \(describe(path + ".name"))
            \(pad)  type: string
            \(pad)  maxLength: 253
            \(pad)mode:
            \(pad)  description: \(describe(path + ".mode"))
            \(pad)  type: string
            \(pad)  enum: [Auto, Manual, Disabled]
            \(pad)  default: Auto
            \(pad)limit:
            \(pad)  description: \(describe(path + ".limit"))
            \(pad)  type: integer
            \(pad)  format: int64
            \(pad)  minimum: 0
            \(pad)ratio:
            \(pad)  type: number
            \(pad)  maximum: 1.0
            \(pad)size: {x-kubernetes-int-or-string: true, anyOf: [{type: integer}, {type: string}]}
            \(pad)rules:
            \(pad)  type: array
            \(pad)  x-kubernetes-list-type: map
            \(pad)  x-kubernetes-list-map-keys: [name]
            \(pad)  items:
            \(pad)    type: object
            \(pad)    required: [name]
            \(pad)    properties:
            \(pad)      name: {type: string}
            \(pad)      value: {type: string}

            """
    }

    static func describe(_ path: String) -> String {
        "\(path) is a generated field; its text stands in for the long descriptions of real operator schemas, which make up most of their size."
    }

    /// Two or three instances of each CRD of a stack.
    static func instances(_ stack: Corpus.Stack) -> [String] {
        var out: [String] = []
        for index in stack.crdDepths.indices {
            let kind = kind(stack, index)
            for n in 0..<(index == 0 ? 3 : 2) {
                out.append(
                    """
                    apiVersion: \(stack.group)/v1
                    kind: \(kind)
                    metadata:
                      name: \(kind.lowercased())-\(n)
                      namespace: corpus-\(stack.name)
                      labels: {app.kubernetes.io/part-of: \(stack.name)}
                    spec:
                      replicas: \(n + 1)
                      selector:
                        matchLabels: {app: \(stack.name)-\(n)}
                      endpoints:
                      - {port: 8080, path: /metrics, interval: 30s}
                      - {port: 8443, protocol: TCP, interval: 1m}
                      targets: [a-\(n), b-\(n)]
                      threshold: \(n % 2 == 0 ? "\"95%\"" : "10")
                      weight: \(n == 0 ? "1000" : "2.5e2")
                      extra:
                        free: {form: [1, 2.0, "three"]}

                    """)
            }
        }
        return out
    }
}
