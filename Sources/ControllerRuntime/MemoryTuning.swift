#if canImport(Glibc)
    internal import CMalloc
#endif

/// glibc malloc settings for a long-running controller.
public enum MemoryTuning {
    /// One malloc arena for the whole process. glibc's default (8 × cores) lets each of the many
    /// threads an event loop, the curl loop and the cooperative pool use keep its own
    /// half-empty heap. At 1,000 ModelDeployments and 8,000 objects one arena was no slower and
    /// measured a few MB less than two (within a run-to-run spread of about 10 MB): Sluice's
    /// allocations are not contended enough for arena locks to matter.
    public static func configure() {
        #if canImport(Glibc)
            _ = mallopt(M_ARENA_MAX, 1)
        #endif
    }

    /// Returns freed heap pages to the system, after a sync of many objects released its
    /// plan (otherwise RSS stays at the peak of the largest sync).
    public static func trim() {
        #if canImport(Glibc)
            _ = malloc_trim(0)
        #endif
    }

    /// Trims every `interval` seconds until cancelled. Peaks come from more places than a sync
    /// (an informer's first list, a burst of watch events, a relist after 410 Gone); glibc keeps
    /// freed pages mapped until asked, and asking takes a few milliseconds for a heap this size.
    public static func scavenge(every interval: Double = 30) async {
        while !Task.isCancelled {
            try? await Task.sleep(for: .seconds(interval))
            trim()
        }
    }
}
