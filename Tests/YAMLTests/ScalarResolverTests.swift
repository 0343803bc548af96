import Testing
import YAML

/// Each row is what `kubectl label --local -o json` printed for the plain scalar on a Debian
/// bookworm machine with kubectl 1.32 (see Fixtures/kubectl/scalars.yaml for the full corpus).
@Suite struct ScalarResolverTests {
    @Test(arguments: [
        ("yes", Value.bool(true)), ("Yes", .bool(true)), ("YES", .bool(true)), ("y", .bool(true)), ("Y", .bool(true)),
        ("on", .bool(true)), ("ON", .bool(true)), ("true", .bool(true)), ("True", .bool(true)),
        ("no", .bool(false)), ("n", .bool(false)), ("N", .bool(false)), ("off", .bool(false)), ("Off", .bool(false)),
        ("false", .bool(false)), ("FALSE", .bool(false)),
        ("yEs", .string("yEs")), ("oN", .string("oN")), ("truthy", .string("truthy")),
        ("~", .null), ("null", .null), ("Null", .null), ("NULL", .null), ("", .null), ("nULL", .string("nULL")),
        ("0", .int(0)), ("12", .int(12)), ("-12", .int(-12)), ("+12", .int(12)), ("-0", .int(0)),
        ("012", .int(10)), ("0o12", .int(10)), ("0x1F", .int(31)), ("0X1f", .int(31)), ("0b1010", .int(10)),
        ("-0b11", .int(-3)), ("1_000", .int(1000)), ("0x_1F", .int(31)), ("00", .int(0)), ("+0x10", .int(16)),
        ("09", .double(9)), ("9223372036854775807", .int(Int64.max)), ("-9223372036854775808", .int(Int64.min)),
        ("9223372036854775808", .double(9_223_372_036_854_775_808)), ("-9223372036854775809", .double(-9_223_372_036_854_775_808)),
        ("18446744073709551616", .double(18_446_744_073_709_551_616)),
        ("1.5", .double(1.5)), (".5", .double(0.5)), ("-.5", .double(-0.5)), ("1.", .double(1)), ("1e3", .double(1000)),
        ("1E3", .double(1000)), ("1e-3", .double(0.001)), ("1_0.5", .double(10.5)), ("1e-400", .double(0)),
        (".inf", .double(.infinity)), ("-.Inf", .double(-.infinity)), ("+.INF", .double(.infinity)),
        ("1e400", .string("1e400")), ("0x", .string("0x")), ("0o", .string("0o")), ("._5", .string("._5")),
        ("1.2.3", .string("1.2.3")), ("1e", .string("1e")), ("+", .string("+")), ("-", .string("-")), (".", .string(".")),
        ("2001-12-14", .string("2001-12-14")), ("12:30:00", .string("12:30:00")), ("=", .string("=")),
        ("2025-11-03", .string("2025-11-03")), ("1.2.3-rc.1", .string("1.2.3-rc.1")), ("v1", .string("v1")),
    ])
    func resolvesLikeKubectl(text: String, expected: Value) {
        #expect(ScalarResolver.resolvePlain(text) == .value(expected), "\(text)")
    }

    @Test func nanResolvesToNaN() {
        guard case .value(.double(let d)) = ScalarResolver.resolvePlain(".nan") else {
            Issue.record("expected a double")
            return
        }
        #expect(d.isNaN)
    }

    @Test func mergeKeyIsRecognised() {
        #expect(ScalarResolver.resolvePlain("<<") == .merge)
        #expect(ScalarResolver.resolvePlain("<<x") == .value(.string("<<x")))
    }

    @Test(arguments: ["yes", "1", "1.0", "", "~", "null", "0x1F", "on", ".inf", "1_000", "<<"])
    func stringsThatLookLikeOtherTypesNeedQuoting(text: String) {
        #expect(ScalarResolver.needsQuoting(text))
    }

    @Test(arguments: ["hello", "yEs", "1.2.3", "v1", "2025-11-03", "0x", "s3://bucket/key"])
    func ordinaryStringsDoNot(text: String) {
        #expect(!ScalarResolver.needsQuoting(text))
    }
}
