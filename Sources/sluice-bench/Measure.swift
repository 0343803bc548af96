import Foundation

/// Wall-clock timing with the best of several runs (the least disturbed by the rest of the machine).
enum Measure {
    static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    static func best(runs: Int, _ body: () throws -> Void) rethrows -> Double {
        var best = Double.infinity
        for _ in 0..<runs {
            let start = now()
            try body()
            best = min(best, now() - start)
        }
        return best
    }

    static func bestAsync(runs: Int, _ body: () async throws -> Void) async rethrows -> Double {
        var best = Double.infinity
        for _ in 0..<runs {
            let start = now()
            try await body()
            best = min(best, now() - start)
        }
        return best
    }

    /// Resident set size of this process, from /proc.
    static func rssMB() -> Double {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
        for line in status.split(separator: "\n") where line.hasPrefix("VmRSS:") {
            let kb = Double(line.split(separator: " ").dropFirst().first ?? "0") ?? 0
            return kb / 1024
        }
        return 0
    }

    static func fmt(_ x: Double, _ digits: Int = 2) -> String { String(format: "%.\(digits)f", x) }
}

/// Realistic manifests: Deployments, Services and ConfigMaps as teams write them.
enum SampleManifests {
    static func object(_ i: Int) -> String {
        switch i % 3 {
        case 0: deployment(i)
        case 1: service(i)
        default: configMap(i)
        }
    }

    static func deployment(_ i: Int) -> String {
        """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: model-\(i)
          namespace: ml-\(i % 10)
          labels: {app.kubernetes.io/name: model-\(i), team: ml-platform, tier: "serving"}
          annotations:
            description: "Serves model \(i) — scaled by HPA"
        spec:
          replicas: \(i % 5 + 1)
          selector:
            matchLabels: {app.kubernetes.io/name: model-\(i)}
          template:
            metadata:
              labels: {app.kubernetes.io/name: model-\(i)}
            spec:
              containers:
              - name: server
                image: registry.example.com/ml/model-\(i):1.\(i % 20).0
                args: ["--port=8080", "--workers", "4"]
                env:
                - {name: MODEL_URI, value: "s3://models/model-\(i)/v\(i % 7)"}
                - name: LOG_LEVEL
                  value: info
                ports:
                - containerPort: 8080
                  name: http
                resources:
                  requests: {cpu: 500m, memory: 1Gi}
                  limits: {memory: 2Gi}
                readinessProbe:
                  httpGet: {path: /healthz, port: http}
                  periodSeconds: 5

        """
    }

    static func service(_ i: Int) -> String {
        """
        apiVersion: v1
        kind: Service
        metadata:
          name: model-\(i)
          namespace: ml-\(i % 10)
        spec:
          selector: {app.kubernetes.io/name: model-\(i - 1)}
          ports:
          - {name: http, port: 80, targetPort: http}

        """
    }

    static func configMap(_ i: Int) -> String {
        """
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: model-\(i)-config
          namespace: ml-\(i % 10)
        data:
          threshold: "0.\(i % 100)"
          batch_size: "32"
          features: |
            age
            tenure
            plan
            monthly_spend

        """
    }

    static func stream(objects: Int) -> String {
        (0..<objects).map(object).joined(separator: "---\n")
    }
}
