import Foundation
import YAML

/// `/_emulator/...`: controls for tests and demos. Not part of the Kubernetes API.
///   GET    /_emulator/requests            the request log (JSON list)
///   DELETE /_emulator/requests            clear it
///   GET    /_emulator/faults              the fault plan
///   PUT    /_emulator/faults              replace it (JSON FaultPlan)
///   PUT    /_emulator/failing-images/TAG  make Deployments using TAG unavailable
///   DELETE /_emulator/failing-images/TAG  make them recover
extension APIServer {
    func adminHandle(_ rest: [String], _ request: APIRequest) throws -> APIResponse {
        switch (request.method, rest.first, rest.dropFirst().first) {
        case ("GET", "requests", nil):
            let data = try JSONEncoder().encode(faults.records)
            return .json(status: 200, try JSON.parse(Array(data)))
        case ("DELETE", "requests", nil):
            faults.clearLog()
            return .json(status: 200, ["cleared": true])
        case ("GET", "faults", nil):
            return .json(status: 200, try JSON.parse(Array(try JSONEncoder().encode(faults.current))))
        case ("PUT", "faults", nil):
            do {
                faults.current = try JSONDecoder().decode(FaultPlan.self, from: Data(request.body.isEmpty ? Array("{}".utf8) : request.body))
            } catch {
                throw APIError.badRequest("invalid fault plan: \(error)")
            }
            return .json(status: 200, try JSON.parse(Array(try JSONEncoder().encode(faults.current))))
        case ("PUT", "failing-images", let tag?):
            failingTags.insert(tag)
            reconcileAllDeployments()
            return .json(status: 200, ["failing": .array(failingTags.all.sorted().map { .string($0) })])
        case ("DELETE", "failing-images", let tag?):
            failingTags.remove(tag)
            reconcileAllDeployments()
            return .json(status: 200, ["failing": .array(failingTags.all.sorted().map { .string($0) })])
        default:
            throw APIError.pathNotFound("/_emulator/" + rest.joined(separator: "/"))
        }
    }
}
