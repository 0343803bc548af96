public import Foundation
public import Kube
public import Logging
import Manifests
public import Promotion
public import YAML

/// Records approvals for callers the API server vouches for. The caller sends its own bearer
/// token; a TokenReview says who it is (the caller cannot name anyone else), a
/// SubjectAccessReview whether that identity holds the `approve` verb on the ModelPipeline
/// (`sluice.dev`, `modelpipelines`, in its namespace: the sluice-approver role), and the
/// approval is written into the pipeline's status, which only the controller may write, bound to
/// the version and image waiting for the environment.
public struct ApprovalService: Sendable {
    let client: any KubeAPI
    /// Asks a review kind (TokenReview, SubjectAccessReview): `KubeClient.review`.
    let review: @Sendable (Value) async throws -> Value
    let logger: Logger
    let clock: @Sendable () -> Date

    public init(
        client: any KubeAPI, review: @escaping @Sendable (Value) async throws -> Value, logger: Logger, clock: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.client = client
        self.review = review
        self.logger = logger
        self.clock = clock
    }

    public struct Request: Sendable, Decodable {
        public var namespace: String
        public var pipeline: String
        public var environment: String
        /// The version the approver means; it must be the one waiting (nil: whichever is).
        public var version: String?

        public init(namespace: String, pipeline: String, environment: String, version: String? = nil) {
            self.namespace = namespace
            self.pipeline = pipeline
            self.environment = environment
            self.version = version
        }
    }

    public struct Outcome: Sendable, Equatable {
        /// An HTTP status: 201 recorded, 401 not authenticated, 403 not allowed, 404, 409 not
        /// waiting for approval, 503 the API server could not be asked.
        public var status: Int
        public var message: String
        public var approval: Approval?
    }

    public func approve(token: String?, _ request: Request) async -> Outcome {
        guard let token, !token.isEmpty else { return Outcome(status: 401, message: "no bearer token: approvals need the approver's own credentials") }
        let user: (name: String, groups: [String], uid: String?, extra: Value?)
        do {
            guard let who = try await authenticate(token) else { return Outcome(status: 401, message: "the API server did not authenticate this token") }
            user = who
        } catch {
            return Outcome(status: 503, message: "cannot ask the API server who this is (TokenReview): \(error)")
        }
        do {
            guard try await mayApprove(user, request) else {
                return Outcome(
                    status: 403,
                    message:
                        "\(user.name) may not approve ModelPipeline \(request.namespace)/\(request.pipeline): that needs the verb approve on modelpipelines.sluice.dev in \(request.namespace) (the sluice-approver role)"
                )
            }
        } catch {
            return Outcome(status: 503, message: "cannot ask the API server what \(user.name) may do (SubjectAccessReview): \(error)")
        }
        for _ in 0..<5 {
            do {
                return try await record(user.name, request)
            } catch let e as KubeError where e.isConflict {
                continue
            } catch {
                return Outcome(status: 503, message: "cannot record the approval: \(error)")
            }
        }
        return Outcome(status: 503, message: "the pipeline kept changing while the approval was recorded: try again")
    }

    func authenticate(_ token: String) async throws -> (name: String, groups: [String], uid: String?, extra: Value?)? {
        let body: Value = ["apiVersion": "authentication.k8s.io/v1", "kind": "TokenReview", "spec": ["token": .string(token)]]
        let answer = try await review(body)
        guard answer[path: ["status", "authenticated"]]?.boolValue == true, let name = answer[path: ["status", "user", "username"]]?.stringValue,
            !name.isEmpty
        else { return nil }
        let groups = (answer[path: ["status", "user", "groups"]]?.arrayValue ?? []).compactMap(\.stringValue)
        return (name, groups, answer[path: ["status", "user", "uid"]]?.stringValue, answer[path: ["status", "user", "extra"]])
    }

    func mayApprove(_ user: (name: String, groups: [String], uid: String?, extra: Value?), _ request: Request) async throws -> Bool {
        var spec: Value = [
            "user": .string(user.name), "groups": .array(user.groups.map { .string($0) }),
            "resourceAttributes": [
                "namespace": .string(request.namespace), "verb": "approve", "group": "sluice.dev", "resource": "modelpipelines",
                "name": .string(request.pipeline),
            ],
        ]
        if let uid = user.uid { spec["uid"] = .string(uid) }
        if let extra = user.extra, !extra.isNull { spec["extra"] = extra }
        let body: Value = ["apiVersion": "authorization.k8s.io/v1", "kind": "SubjectAccessReview", "spec": spec]
        let answer = try await review(body)
        return answer[path: ["status", "allowed"]]?.boolValue == true
    }

    /// Appends the approval to the status, conditioned on the resourceVersion read: a
    /// concurrent write makes this one fail (409) and it is tried again from a fresh read.
    func record(_ who: String, _ request: Request) async throws -> Outcome {
        let ref = ObjectReference(
            apiVersion: PromotionController.apiVersion, kind: PromotionController.kind, namespace: request.namespace, name: request.pipeline)
        guard let object = try await client.getIfExists(ref) else {
            return Outcome(status: 404, message: "no ModelPipeline \(request.namespace)/\(request.pipeline)")
        }
        let key = "\(request.namespace)/\(request.pipeline)"
        guard case .success(let spec) = PipelineSpec.parse(object), let env = spec.environment(request.environment) else {
            return Outcome(status: 404, message: "ModelPipeline \(key) has no (valid) environment \(request.environment)")
        }
        guard env.approvalRequired else { return Outcome(status: 409, message: "\(env.name) does not require approval") }
        let status = try PipelineStatus.read(object["status"], of: key)
        guard let state = status.environments.first(where: { $0.name == env.name }), let pending = state.pending, let image = state.pendingImage,
            state.gate == .approval || state.gate == .soak || state.gate == .soakSLOs
        else {
            return Outcome(
                status: 409,
                message:
                    "no version is waiting for approval in \(env.name) (\(status.environments.first { $0.name == env.name }?.message ?? "not looked at yet"))")
        }
        if let version = request.version, version != pending {
            return Outcome(status: 409, message: "\(env.name) waits for \(pending), not \(version): nothing approved")
        }
        var approvals = try PipelineApprovals.read(object["status"], of: key)
        let approval = Approval(environment: env.name, version: pending, image: image, by: who, at: clock())
        approvals.append(approval)
        // The newest 20: an audit trail is in git and history, the status holds what gates need.
        approvals = Array(approvals.suffix(20))
        var patch: Value = ["status": [PipelineApprovals.field: try PipelineApprovals.value(approvals)]]
        patch.set(object[path: ["metadata", "resourceVersion"]] ?? .null, at: ["metadata", "resourceVersion"])
        _ = try await client.mergePatch(ref, patch, subresource: "status", fieldManager: "sluice-approvals")
        logger.notice("approval recorded", metadata: ["pipeline": "\(key)", "environment": "\(env.name)", "version": "\(pending)", "by": "\(who)"])
        return Outcome(status: 201, message: "approved \(spec.name) \(pending) for \(env.name) as \(who) (image \(image))", approval: approval)
    }
}
