import Foundation
import Values

// Status is read back from the cluster, written by this release, an older one or a newer one
// (during a rolling upgrade both run). Synthesized `Decodable` would require every key, so a
// key an older release never wrote would make the whole status unreadable; every type here
// decodes each key with its default instead. Only what has no sensible default (the version a
// record is about) is required. Fixtures of each release's status are decoded in
// StoredStateCompatibilityTests.

extension RolloutStatus {
    /// The keys the status is written and read with.
    public static var codingKeys: [String] { CodingKeys.allCases.map(\.stringValue) }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case phase, message, observedGeneration, sourceRevision, stable, canary, step, stepWeight, canaryWeight, canaryStartedAt, stepStartedAt
        case canaryWaitingSince
        case lastAnalysisAt, successfulChecks, failedChecks, consecutiveErrors, approvedGates, failedVersions, lastAnalysis, history, handledCommands
        case analyses, inconclusive, judge, canaryRequests, canaryRequestRate, verdictExpectedIn
        case scaling, handover
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init()
        phase = try c.value(.phase, default: .pending)
        message = try c.value(.message, default: "")
        observedGeneration = try c.value(.observedGeneration, default: 0)
        sourceRevision = try c.value(.sourceRevision, default: nil)
        stable = try c.value(.stable, default: nil)
        canary = try c.value(.canary, default: nil)
        step = try c.value(.step, default: 0)
        stepWeight = try c.value(.stepWeight, default: 0)
        canaryWeight = try c.value(.canaryWeight, default: 0)
        canaryStartedAt = try c.value(.canaryStartedAt, default: nil)
        stepStartedAt = try c.value(.stepStartedAt, default: nil)
        canaryWaitingSince = try c.value(.canaryWaitingSince, default: nil)
        lastAnalysisAt = try c.value(.lastAnalysisAt, default: nil)
        successfulChecks = try c.value(.successfulChecks, default: 0)
        failedChecks = try c.value(.failedChecks, default: 0)
        consecutiveErrors = try c.value(.consecutiveErrors, default: 0)
        approvedGates = try c.value(.approvedGates, default: [])
        failedVersions = try c.value(.failedVersions, default: [])
        lastAnalysis = try c.value(.lastAnalysis, default: nil)
        history = try c.value(.history, default: [])
        handledCommands = try c.value(.handledCommands, default: [])
        analyses = try c.value(.analyses, default: 0)
        inconclusive = try c.value(.inconclusive, default: nil)
        judge = try c.value(.judge, default: [:])
        canaryRequests = try c.value(.canaryRequests, default: nil)
        canaryRequestRate = try c.value(.canaryRequestRate, default: nil)
        verdictExpectedIn = try c.value(.verdictExpectedIn, default: nil)
        scaling = try c.value(.scaling, default: nil)
        handover = try c.value(.handover, default: nil)
    }
}

extension VersionScale {
    enum CodingKeys: String, CodingKey { case version, replicas, ready, minReplicas, maxReplicas, currentReplicas, desiredReplicas }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        version = try c.decode(String.self, forKey: .version)
        replicas = try c.value(.replicas, default: 0)
        ready = try c.value(.ready, default: 0)
        minReplicas = try c.value(.minReplicas, default: nil)
        maxReplicas = try c.value(.maxReplicas, default: nil)
        currentReplicas = try c.value(.currentReplicas, default: nil)
        desiredReplicas = try c.value(.desiredReplicas, default: nil)
    }
}

extension Handover {
    enum CodingKeys: String, CodingKey { case from, replicas, until, retired }

    /// Without a size or an end, the hand-over keeps the old version until the new one is ready
    /// and ends at once after: never a lower minimum than `minReplicas`.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        from = try c.decode(String.self, forKey: .from)
        replicas = try c.value(.replicas, default: 0)
        until = try c.value(.until, default: Date(timeIntervalSince1970: 0))
        retired = try c.value(.retired, default: false)
    }
}

extension InconclusiveVersion {
    enum CodingKeys: String, CodingKey { case version, reason, time, retries, retryAt, holding }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        version = try c.decode(String.self, forKey: .version)
        reason = try c.value(.reason, default: "no reason recorded")
        time = try c.value(.time, default: Date(timeIntervalSince1970: 0))
        retries = try c.value(.retries, default: 0)
        retryAt = try c.value(.retryAt, default: nil)
        holding = try c.value(.holding, default: true)
    }
}

extension VersionSpec {
    enum CodingKeys: String, CodingKey {
        case version, image, uri, port, templateHash, containerFields, podFields, labels, annotations
        /// Releases up to 0.2.0 kept the fields as JSON text under these keys; still written
        /// beside the mappings so such a release, during a rolling upgrade or after a
        /// downgrade, reads this release's status (to be dropped once 0.2.0 is unsupported).
        case legacyContainer = "container"
        case legacyPod = "pod"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        version = try c.decode(String.self, forKey: .version)
        image = try c.decode(String.self, forKey: .image)
        uri = try c.value(.uri, default: nil)
        port = try c.value(.port, default: 8080)
        templateHash = try c.value(.templateHash, default: "")
        container = try Self.fields(c, .containerFields, legacy: .legacyContainer)
        pod = try Self.fields(c, .podFields, legacy: .legacyPod)
        labels = try c.value(.labels, default: [:])
        annotations = try c.value(.annotations, default: [:])
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(version, forKey: .version)
        try c.encode(image, forKey: .image)
        try c.encodeIfPresent(uri, forKey: .uri)
        try c.encode(port, forKey: .port)
        try c.encode(templateHash, forKey: .templateHash)
        try c.encode(container, forKey: .containerFields)
        try c.encode(pod, forKey: .podFields)
        try c.encode(JSON.serialize(container), forKey: .legacyContainer)
        try c.encode(JSON.serialize(pod), forKey: .legacyPod)
        try c.encode(labels, forKey: .labels)
        try c.encode(annotations, forKey: .annotations)
    }
}

extension VersionSpec {
    /// A version's container or pod fields, checked to be a mapping: the stable version is
    /// rendered from them, and fields that do not read would render its pods without their env,
    /// resources or probes. The mapping when there is one, else an older release's JSON text;
    /// neither (a status written before the fields existed) is none.
    static func fields(_ c: KeyedDecodingContainer<CodingKeys>, _ key: CodingKeys, legacy: CodingKeys) throws -> Value {
        if let fields = try c.value(key, default: Value?.none) {
            guard fields.objectValue != nil else {
                throw DecodingError.dataCorruptedError(forKey: key, in: c, debugDescription: "\(key.rawValue) is not a mapping of pod template fields")
            }
            return fields
        }
        let text = try c.value(legacy, default: "{}")
        guard let fields = try? JSON.parse(Array(text.utf8)), fields.objectValue != nil else {
            throw DecodingError.dataCorruptedError(forKey: legacy, in: c, debugDescription: "\(legacy.rawValue) is not a JSON object of pod template fields")
        }
        return fields
    }
}

extension FailedVersion {
    enum CodingKeys: String, CodingKey {
        case version, reason, slo, value, threshold, time
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        version = try c.decode(String.self, forKey: .version)
        reason = try c.value(.reason, default: "no reason recorded")
        slo = try c.value(.slo, default: nil)
        value = try c.value(.value, default: nil)
        threshold = try c.value(.threshold, default: nil)
        time = try c.value(.time, default: Date(timeIntervalSince1970: 0))
    }
}

extension SLOCheck {
    enum CodingKeys: String, CodingKey {
        case slo, outcome, value, stableValue, threshold, message, evidence
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        slo = try c.value(.slo, default: "")
        outcome = try c.value(.outcome, default: .noData)
        value = try c.value(.value, default: nil)
        stableValue = try c.value(.stableValue, default: nil)
        threshold = try c.value(.threshold, default: nil)
        message = try c.value(.message, default: "")
        evidence = try c.value(.evidence, default: nil)
    }
}

extension AnalysisRecord {
    enum CodingKeys: String, CodingKey {
        case time, weight, checks
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        time = try c.value(.time, default: Date(timeIntervalSince1970: 0))
        weight = try c.value(.weight, default: 0)
        checks = try c.value(.checks, default: [])
    }
}

extension HistoryEntry {
    enum CodingKeys: String, CodingKey {
        case time, version, event, message
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        time = try c.value(.time, default: Date(timeIntervalSince1970: 0))
        version = try c.value(.version, default: "")
        event = try c.value(.event, default: "")
        message = try c.value(.message, default: "")
    }
}
