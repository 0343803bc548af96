/// Line-based unified diff (Myers' O((N+M)D) algorithm), as `diff -u` prints it.
public enum UnifiedDiff {
    public enum Edit: Equatable, Sendable {
        case same(String)
        case removed(String)
        case added(String)
    }

    /// The shortest edit script turning `a` into `b`. The common head and tail are taken off
    /// first and a one-sided middle needs no search, so creating or deleting a CRD of 20,000
    /// lines costs one pass, not the O(D·(N+M)) of the search.
    public static func edits(_ a: [String], _ b: [String]) -> [Edit] {
        var head = 0
        while head < a.count, head < b.count, a[head] == b[head] { head += 1 }
        var tail = 0
        while tail < a.count - head, tail < b.count - head, a[a.count - 1 - tail] == b[b.count - 1 - tail] { tail += 1 }
        let midA = a[head..<(a.count - tail)]
        let midB = b[head..<(b.count - tail)]
        var out = a[..<head].map(Edit.same)
        if midA.isEmpty {
            out += midB.map(Edit.added)
        } else if midB.isEmpty {
            out += midA.map(Edit.removed)
        } else {
            out += search(Array(midA), Array(midB))
        }
        out += a[(a.count - tail)...].map(Edit.same)
        return out
    }

    /// Myers' search, keeping per step only the diagonals it reached (D² ints in all).
    static func search(_ a: [String], _ b: [String]) -> [Edit] {
        let n = a.count
        let m = b.count
        let max = n + m
        var v = [Int](repeating: 0, count: 2 * max + 2)
        let offset = max + 1
        // Step d reads diagonals -d-1...d of the step before: a copy of just those (a slice
        // would share v's buffer and copy all of it at the next write).
        var trace: [[Int]] = []
        outer: for d in 0...max {
            trace.append(Array(v[(offset - d - 1)...(offset + d)]))
            for k in stride(from: -d, through: d, by: 2) {
                var x: Int
                if k == -d || (k != d && v[offset + k - 1] < v[offset + k + 1]) {
                    x = v[offset + k + 1]
                } else {
                    x = v[offset + k - 1] + 1
                }
                var y = x - k
                while x < n, y < m, a[x] == b[y] {
                    x += 1
                    y += 1
                }
                v[offset + k] = x
                if x >= n && y >= m { break outer }
            }
        }
        // Walk the trace back from the end to recover the path.
        var edits: [Edit] = []
        var x = n
        var y = m
        for d in stride(from: trace.count - 1, through: 0, by: -1) {
            let step = trace[d]
            let v = { (k: Int) in step[k + d + 1] }  // diagonal k of step d-1
            let k = x - y
            let prevK: Int
            if k == -d || (k != d && v(k - 1) < v(k + 1)) {
                prevK = k + 1
            } else {
                prevK = k - 1
            }
            let prevX = d == 0 ? 0 : v(prevK)
            let prevY = prevX - prevK
            while x > prevX, y > prevY {
                edits.append(.same(a[x - 1]))
                x -= 1
                y -= 1
            }
            if d > 0 {
                if x == prevX { edits.append(.added(b[y - 1])) } else { edits.append(.removed(a[x - 1])) }
            }
            x = prevX
            y = prevY
        }
        return edits.reversed()
    }

    /// `diff -u` text (hunks only; callers print their own `---`/`+++` header), or "" if equal.
    public static func hunks(_ a: [String], _ b: [String], context: Int = 3) -> String {
        let script = edits(a, b)
        guard script.contains(where: { if case .same = $0 { false } else { true } }) else { return "" }
        // Positions of changes, grouped into hunks separated by more than 2×context unchanged lines.
        var out = ""
        var i = 0
        var aLine = 0
        var bLine = 0
        var positions: [(a: Int, b: Int)] = []
        for e in script {
            positions.append((aLine, bLine))
            switch e {
            case .same:
                aLine += 1
                bLine += 1
            case .removed: aLine += 1
            case .added: bLine += 1
            }
        }
        let changed = script.indices.filter { if case .same = script[$0] { false } else { true } }
        while i < changed.count {
            var start = max(0, changed[i] - context)
            var end = min(script.count - 1, changed[i] + context)
            var j = i
            while j + 1 < changed.count, changed[j + 1] - context <= end + 1 {
                j += 1
                end = min(script.count - 1, changed[j] + context)
            }
            start = max(0, start)
            var aCount = 0
            var bCount = 0
            var body = ""
            for idx in start...end {
                switch script[idx] {
                case .same(let s):
                    body += " \(s)\n"
                    aCount += 1
                    bCount += 1
                case .removed(let s):
                    body += "-\(s)\n"
                    aCount += 1
                case .added(let s):
                    body += "+\(s)\n"
                    bCount += 1
                }
            }
            let aStart = aCount == 0 ? positions[start].a : positions[start].a + 1
            let bStart = bCount == 0 ? positions[start].b : positions[start].b + 1
            out += "@@ -\(aStart),\(aCount) +\(bStart),\(bCount) @@\n" + body
            i = j + 1
        }
        return out
    }

    public static func lines(_ text: String) -> [String] {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        return lines
    }
}
