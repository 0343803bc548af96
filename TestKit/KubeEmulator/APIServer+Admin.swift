import Foundation
import YAML

/// `/_emulator/...`: controls for tests and demos. Not part of the Kubernetes API.
///   GET    /_emulator/requests            the request log (JSON list)
///   DELETE /_emulator/requests            clear it
///   GET    /_emulator/faults              the fault plan
///   PUT    /_emulator/faults              replace it (JSON FaultPlan)
///   PUT    /_emulator/failing-images/TAG  make Deployments using TAG unavailable
///   DELETE /_emulator/failing-images/TAG  make them recover
///   PUT    /_emulator/load/NS/DEPLOYMENT  {"resource": "cpu", "pods": 5}: what the Deployment's
///                                         pods use together, in pods' requests (HPA metrics)
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
        case ("PUT", "load", let ns?) where rest.count == 3:
            let body = try request.bodyValue()
            guard let pods = body["pods"]?.doubleValue, pods >= 0 else {
                throw APIError.badRequest("load needs \"pods\": a number of pods' requests, at least 0")
            }
            setLoad(ns, rest[2], resource: body["resource"]?.stringValue ?? "cpu", pods: pods)
            return .json(status: 200, ["namespace": .string(ns), "deployment": .string(rest[2]), "pods": .double(pods)])
        default:
            throw APIError.pathNotFound("/_emulator/" + rest.joined(separator: "/"))
        }
    }
}
