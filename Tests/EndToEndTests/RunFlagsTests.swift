import ControllerProcess
import Foundation
import TestSupport
import Testing

/// `sluice run` has one list of settings, `RunConfiguration.keys`: every option it offers is
/// one of them (and reaches the resolver), and every setting the file and the environment may
/// carry can be given as a flag.
@Suite struct RunFlagsTests {
    @Test func everySettingIsAFlagAndEveryFlagASetting() throws {
        let help = try SluiceBinary.run(["run", "--help"]).stdout
        // The OPTIONS section: one `  --name <value>` line per option.
        let offered = Set(
            help.split(separator: "\n").compactMap { line -> String? in
                let trimmed = line.drop { $0 == " " }
                guard trimmed.count < line.count, trimmed.hasPrefix("--") else { return nil }
                return String(trimmed.dropFirst(2).prefix { $0.isLetter || $0.isNumber || $0 == "-" })
            })
        #expect(offered.subtracting(["help", "version", "config"]) == Set(RunConfiguration.keys))
    }

    @Test func aFlagReachesTheResolverUnderItsOwnName() throws {
        // A bad value given as a flag is reported as that flag's (the name came off the option).
        let r = try SluiceBinary.run(["run", "--repo", "/nonexistent", "--lease-duration", "soon"])
        #expect(r.status != 0)
        #expect(r.stderr.contains("--lease-duration"), "\(r.stderr)")
    }

    @Test(arguments: [("gitTokenFile", "git-token-file"), ("qps", "qps"), ("sourceName", "source-name"), ("prometheusUrl", "prometheus-url")])
    func flagNames(property: String, flag: String) {
        #expect(RunConfiguration.flagName(property: property) == flag)
    }
}
