#if canImport(Glibc)
internal import CMalloc
#endif

/// glibc malloc settings for a long-running controller.
public enum MemoryTuning {
    /// Caps malloc's per-thread arenas at two. glibc's default (8 × cores) lets each of the
    /// many threads an event loop, the curl loop and the cooperative pool use keep its own
    /// half-empty heap, which showed up as tens of megabytes of RSS; Sluice's allocations are
    /// not contended enough for the cap to cost anything measurable.
    public static func configure() {
        #if canImport(Glibc)
        _ = mallopt(M_ARENA_MAX, 2)
        #endif
    }

    /// Returns freed heap pages to the system, after a sync of many objects released its
    /// plan (otherwise RSS stays at the peak of the largest sync).
    public static func trim() {
        #if canImport(Glibc)
        _ = malloc_trim(0)
        #endif
    }
}
