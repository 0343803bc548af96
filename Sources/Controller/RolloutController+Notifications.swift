import Foundation
import Kube
import Manifests
import Rollout
import YAML

extension RolloutController {
    /// Tells the channels what this decision did, after it was written (a notification never
    /// announces what the status does not hold); on the first look since the start, also the
    /// last hour's rollbacks, which a restart may have kept from being delivered.
    func announce(_ decision: Decision, key: String, object: Value, previous: RolloutStatus, now: Date) async {
        guard let notifications else { return }
        let ref = ObjectKey.reference(key, apiVersion: Self.apiVersion, kind: Self.kind)
        let (ns, name) = (ref.namespace ?? "", ref.name)
        let labels = Manifest(object: object, source: ObjectSource(file: "", document: 0, line: 0)).labels
        var events = RolloutNotifications.events(decision, namespace: ns, name: name, now: now)
        if announced.insert(key).inserted { events = RolloutNotifications.recent(previous, namespace: ns, name: name, now: now) + events }
        for e in events { await notifications.publish(e, labels: labels) }
    }
}
