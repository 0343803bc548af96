/// A size as settings write it: bytes, or a number with a binary suffix (`64Mi`, `1Gi`), as
/// Kubernetes quantities do.
enum ByteSize {
    static func parse(_ text: String) -> Int? {
        let units: [(String, Int)] = [("Ki", 1 << 10), ("Mi", 1 << 20), ("Gi", 1 << 30)]
        for (suffix, factor) in units where text.hasSuffix(suffix) {
            guard let n = Int(text.dropLast(suffix.count)), n >= 0, n <= Int.max / factor else { return nil }
            return n * factor
        }
        return Int(text)
    }
}
