import Foundation
import HTTP
import Kube
import KubeEmulator
import Manifests
import TestSupport
import Testing
import YAML

func configMap(_ name: String, namespace: String = "default", labels: [String: String] = [:], data: [String: String] = [:]) -> Value {
    var labelValue = Value.emptyObject
    for (k, v) in labels { labelValue[k] = .string(v) }
    var dataValue = Value.emptyObject
    for (k, v) in data { dataValue[k] = .string(v) }
    return [
        "apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": .string(name), "namespace": .string(namespace), "labels": labelValue], "data": dataValue,
    ]
}

func ref(_ kind: String, _ name: String, namespace: String? = "default", apiVersion: String = "v1") -> ObjectReference {
    ObjectReference(apiVersion: apiVersion, kind: kind, namespace: namespace, name: name)
}

@Suite(.offThePool) struct ClientVerbTests {
    @Test(arguments: [false, true])
    func crudOverHTTPAndHTTPS(tls: Bool) async throws {
        let fx = try await EmulatorFixture {
            $0.tls = tls
            $0.token = tls ? "secret-token" : nil
        }
        let client = try fx.client()
        #expect(client.config.server.hasPrefix(tls ? "https://" : "http://"))

        let created = try await client.create(configMap("a", data: ["k": "v"]))
        #expect(created[path: ["metadata", "uid"]]?.stringValue?.isEmpty == false)
        #expect(created[path: ["metadata", "creationTimestamp"]] != nil)
        let got = try await client.get(ref("ConfigMap", "a"))
        #expect(got[path: ["data", "k"]] == "v")

        // Stale update → typed conflict; fresh update works.
        var stale = got
        stale.set("999", at: ["metadata", "resourceVersion"])
        stale.set("w", at: ["data", "k"])
        await #expect { try await client.update(stale) } throws: { ($0 as? KubeError)?.isConflict == true }
        var fresh = got
        fresh.set("w", at: ["data", "k"])
        let updated = try await client.update(fresh)
        #expect(updated[path: ["data", "k"]] == "w")
        #expect(updated[path: ["metadata", "resourceVersion"]] != got[path: ["metadata", "resourceVersion"]])

        // Create of an existing object, get of a missing one.
        await #expect { try await client.create(configMap("a")) } throws: { ($0 as? KubeError)?.isAlreadyExists == true }
        await #expect { try await client.get(ref("ConfigMap", "missing")) } throws: { ($0 as? KubeError)?.isNotFound == true }
        #expect(try await client.getIfExists(ref("ConfigMap", "missing")) == nil)

        // Merge patch, then delete twice.
        let patched = try await client.mergePatch(ref("ConfigMap", "a"), ["data": ["extra": "1", "k": nil]])
        #expect(patched["data"] == ["extra": "1"])
        #expect(try await client.delete(ref("ConfigMap", "a")))
        #expect(try await client.delete(ref("ConfigMap", "a")) == false)
        await fx.stop()
    }

    @Test func httpsSpeaksHTTP2() async throws {
        let fx = try await EmulatorFixture {
            $0.tls = true
            $0.token = "t"
            $0.http2 = true
        }
        let http = HTTPClient(tls: TLSOptions(ca: .data(Array(fx.emulator.caCertificatePEM!.utf8))))
        let response = try await http.send(HTTPRequest(url: fx.emulator.url + "/version", headers: [("Authorization", "Bearer t")]))
        #expect(response.status == 200)
        #expect(response.httpVersion == "2")
        http.shutdown()
        await fx.stop()
    }

    @Test func dryRunOnEveryWriteStoresNothing() async throws {
        let fx = try await EmulatorFixture()
        let client = try fx.client()
        let created = try await client.create(configMap("dry"), dryRun: true)
        #expect(created[path: ["metadata", "name"]] == "dry")
        #expect(try await client.getIfExists(ref("ConfigMap", "dry")) == nil)
        _ = try await client.apply(configMap("dry"), fieldManager: "test", dryRun: true)
        #expect(try await client.getIfExists(ref("ConfigMap", "dry")) == nil)

        _ = try await client.create(configMap("real", data: ["a": "1"]))
        var changed = try await client.get(ref("ConfigMap", "real"))
        changed.set("2", at: ["data", "a"])
        #expect(try await client.update(changed, dryRun: true)[path: ["data", "a"]] == "2")
        #expect(try await client.mergePatch(ref("ConfigMap", "real"), ["data": ["a": "3"]], dryRun: true)[path: ["data", "a"]] == "3")
        #expect(try await client.apply(configMap("real", data: ["a": "4"]), fieldManager: "t", dryRun: true)[path: ["data", "a"]] == "4")
        #expect(try await client.delete(ref("ConfigMap", "real"), dryRun: true))
        #expect(try await client.get(ref("ConfigMap", "real"))[path: ["data", "a"]] == "1")
        #expect(fx.emulator.requests.filter(\.dryRun).count == 6)
        await fx.stop()
    }

    @Test func listWithSelectorsAndPagination() async throws {
        let fx = try await EmulatorFixture()
        let client = try fx.client()
        for i in 0..<25 {
            _ = try await client.create(configMap("cm-\(String(format: "%02d", i))", labels: ["tier": i % 2 == 0 ? "even" : "odd", "app": "x"]))
        }
        _ = try await client.create(["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": "other"]])
        _ = try await client.create(configMap("elsewhere", namespace: "other", labels: ["tier": "even"]))

        let even = try await client.listAll(apiVersion: "v1", kind: "ConfigMap", namespace: "default", options: ListOptions(labelSelector: "tier=even"))
        #expect(even.items.count == 13)
        let setBased = try await client.listAll(apiVersion: "v1", kind: "ConfigMap", namespace: nil, options: ListOptions(labelSelector: "tier in (even),app"))
        #expect(setBased.items.count == 13)
        let everywhere = try await client.listAll(apiVersion: "v1", kind: "ConfigMap", namespace: nil, options: ListOptions(labelSelector: "tier=even"))
        #expect(everywhere.items.count == 14)
        let byName = try await client.list(
            apiVersion: "v1", kind: "ConfigMap", namespace: "default", options: ListOptions(fieldSelector: "metadata.name=cm-03"))
        #expect(byName.items.map { $0[path: ["metadata", "name"]] } == ["cm-03"])

        fx.emulator.clearRequests()
        let page = try await client.list(apiVersion: "v1", kind: "ConfigMap", namespace: "default", options: ListOptions(limit: 10))
        #expect(page.items.count == 10)
        #expect(page.continueToken != nil)
        let all = try await client.listAll(apiVersion: "v1", kind: "ConfigMap", namespace: "default", options: ListOptions(limit: 10))
        #expect(all.items.count == 25)
        #expect(Set(all.items.compactMap { $0[path: ["metadata", "name"]]?.stringValue }).count == 25)
        #expect(fx.emulator.requests.filter { $0.verb == "list" }.count == 4, "one page, then three pages")
        await fx.stop()
    }

    @Test func deleteWithPropagationAndNamespaceCascade() async throws {
        let fx = try await EmulatorFixture()
        let client = try fx.client()
        _ = try await client.create(["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": "team"]])
        _ = try await client.create(configMap("in-team", namespace: "team"))
        #expect(try await client.delete(ref("ConfigMap", "in-team", namespace: "team"), propagation: .foreground))
        _ = try await client.create(configMap("again", namespace: "team"))
        #expect(try await client.delete(ref("Namespace", "team", namespace: nil)))
        #expect(try await client.getIfExists(ref("ConfigMap", "again", namespace: "team")) == nil)
        await #expect { try await client.create(configMap("x", namespace: "team")) } throws: { ($0 as? KubeError)?.isNotFound == true }
        await fx.stop()
    }

    @Test func statusSubresource() async throws {
        // The simulated Deployment controller stays out of the way for this test.
        let fx = try await EmulatorFixture { $0.deploymentReadyDelay = 600 }
        let client = try fx.client()
        let deploy: Value = try YAML.parse(
            """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web, namespace: default}
            spec:
              replicas: 2
              selector: {matchLabels: {app: web}}
              template:
                metadata: {labels: {app: web}}
                spec: {containers: [{name: web, image: "nginx:1.27"}]}
            """)
        _ = try await client.apply(deploy, fieldManager: "test")
        let patched = try await client.patchStatus(ref("Deployment", "web", apiVersion: "apps/v1"), ["observedGeneration": 99])
        #expect(patched[path: ["status", "observedGeneration"]] == 99)
        // A main-resource write cannot change status.
        var main = try await client.get(ref("Deployment", "web", apiVersion: "apps/v1"))
        main.set(["observedGeneration": 1], at: ["status"])
        let after = try await client.update(main)
        #expect(after[path: ["status", "observedGeneration"]] != 1)
        await fx.stop()
    }

    @Test func errorsAreTypedFromStatus() async throws {
        let fx = try await EmulatorFixture()
        let client = try fx.client()
        do {
            _ = try await client.create(["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "Bad_Name"]])
            Issue.record("invalid name accepted")
        } catch let e as KubeError {
            #expect(e.reason == .invalid)
            #expect(e.code == 422)
            #expect(e.statusReason == "Invalid")
            #expect(e.causes.first?.field == "metadata.name")
            #expect(e.description.contains("POST v1 ConfigMap default/Bad_Name"))
        }
        await #expect { try await client.get(ObjectReference(apiVersion: "example.com/v1", kind: "Nope", namespace: nil, name: "x")) } throws: {
            ($0 as? KubeError)?.reason == .unknownKind
        }
        await fx.stop()
    }
}
