/// SplitMix64 when seeded (the same numbers every run, for simulations a failure can be replayed
/// from), the system's generator otherwise.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    var state: UInt64?
    var system = SystemRandomNumberGenerator()

    public init(seed: UInt64?) { state = seed }

    public mutating func next() -> UInt64 {
        guard var z = state else { return system.next() }
        z &+= 0x9E37_79B9_7F4A_7C15
        state = z
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
