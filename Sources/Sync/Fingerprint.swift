import Crypto
public import Values

/// What an object looked like after the last apply, as a digest of its normalised form: enough
/// to tell drift from the echo of our own writes, in 32 bytes instead of a copy of the object.
public struct Fingerprint: Sendable, Equatable {
    // Four words inline, not an array: one allocation fewer per managed object.
    let a: UInt64, b: UInt64, c: UInt64, d: UInt64

    public init(_ normalised: Value) {
        let digest = SHA256.hash(data: (try? JSON.bytes(Normalize.sortedKeys(normalised))) ?? [])
        var words = [UInt64](repeating: 0, count: 4)
        for (i, byte) in digest.enumerated() { words[i / 8] = words[i / 8] << 8 | UInt64(byte) }
        (a, b, c, d) = (words[0], words[1], words[2], words[3])
    }
}
