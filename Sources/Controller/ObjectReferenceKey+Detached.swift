import Manifests
import Sync
import YAML

extension ObjectReference.Key {
    /// The key with strings of its own, not slices of the parsed YAML or API response it came
    /// from: keys live as long as the source, the parse trees only for one sync (see
    /// `Value.detached()`).
    func detached() -> Self {
        var k = self
        k.group = group.detached()
        k.kind = kind.detached()
        k.namespace = namespace.detached()
        k.name = name.detached()
        return k
    }
}
