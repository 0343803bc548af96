import RandomDraws

/// Seeded random draws for the simulated canaries: the same numbers every run.
typealias Seeded = SplitMix64

extension SplitMix64 {
    init(_ seed: UInt64) { self.init(seed: seed) }
}
