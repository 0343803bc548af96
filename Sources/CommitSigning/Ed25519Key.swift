public import Crypto
import Foundation

/// An ed25519 key pair from an OpenSSH private key file (`ssh-keygen -t ed25519 -N ''`), the key
/// Sluice signs its commits with. Only unencrypted keys: the controller has no one to ask for a
/// passphrase, and the file is a Secret already.
public struct Ed25519Key: Sendable {
    /// The 32-byte seed (Crypto's key type is not Sendable; its raw form is).
    let seed: [UInt8]
    public let publicKey: SSHPublicKey

    var privateKey: Curve25519.Signing.PrivateKey {
        // The seed was checked when the key was read.
        try! Curve25519.Signing.PrivateKey(rawRepresentation: seed)
    }

    public init(privateKey: Curve25519.Signing.PrivateKey) {
        seed = Array(privateKey.rawRepresentation)
        publicKey = SSHPublicKey(raw: Array(privateKey.publicKey.rawRepresentation))
    }

    /// Reads `-----BEGIN OPENSSH PRIVATE KEY-----` text. Errors say what is wrong, never the key.
    public init(openSSH text: String) throws(SigningError) {
        let lines = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
        guard let begin = lines.firstIndex(of: "-----BEGIN OPENSSH PRIVATE KEY-----"),
            let end = lines.firstIndex(of: "-----END OPENSSH PRIVATE KEY-----"), begin < end,
            let data = Data(base64Encoded: lines[(begin + 1)..<end].joined())
        else { throw SigningError("not an OpenSSH private key (-----BEGIN OPENSSH PRIVATE KEY-----)") }
        var r = SSHWireReader(Array(data))
        guard try r.raw(15) == Array("openssh-key-v1\0".utf8) else { throw SigningError("not an openssh-key-v1 key") }
        guard try r.text() == "none", try r.text() == "none" else {
            throw SigningError("the key is encrypted: Sluice needs an unencrypted key (ssh-keygen -t ed25519 -N '')")
        }
        _ = try r.string()
        guard try r.uint32() == 1 else { throw SigningError("the file holds more than one key") }
        _ = try r.string()
        var p = SSHWireReader(try r.string())
        guard try p.uint32() == (try p.uint32()) else { throw SigningError("the key's check values differ (a damaged file)") }
        guard try p.text() == "ssh-ed25519" else { throw SigningError("not an ed25519 key (ssh-keygen -t ed25519)") }
        let pub = try p.string()
        let secret = try p.string()
        guard pub.count == 32, secret.count == 64 else { throw SigningError("an ed25519 key of the wrong size") }
        let key: Curve25519.Signing.PrivateKey
        do {
            key = try Curve25519.Signing.PrivateKey(rawRepresentation: secret.prefix(32))
        } catch {
            throw SigningError("an ed25519 key Crypto cannot read")
        }
        guard Array(key.publicKey.rawRepresentation) == pub else { throw SigningError("the key's public half does not match its private half") }
        self.init(privateKey: key)
    }
}

/// An ed25519 public key, as `ssh-ed25519 AAAA...` lines and the wire blob show it.
public struct SSHPublicKey: Sendable, Hashable {
    public let raw: [UInt8]

    public init(raw: [UInt8]) { self.raw = raw }

    var blob: [UInt8] {
        var w = SSHWireWriter()
        w.string("ssh-ed25519")
        w.string(raw)
        return w.bytes
    }

    init(blob: [UInt8]) throws(SigningError) {
        var r = SSHWireReader(blob)
        guard try r.text() == "ssh-ed25519" else { throw SigningError("not an ed25519 key") }
        let raw = try r.string()
        guard raw.count == 32, r.isAtEnd else { throw SigningError("an ed25519 key of the wrong size") }
        self.raw = raw
    }

    /// Every `ssh-ed25519 <base64>` key in a `.pub` or allowed_signers file; other key types are
    /// skipped (Sluice signs with ed25519 only).
    public static func all(in text: String) -> [SSHPublicKey] {
        var out: [SSHPublicKey] = []
        for line in text.split(whereSeparator: \.isNewline) where !line.hasPrefix("#") {
            let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            for (i, w) in words.enumerated() where w == "ssh-ed25519" && i + 1 < words.count {
                // A key that does not parse is not trusted (fails closed: fewer keys, never more).
                if let data = Data(base64Encoded: String(words[i + 1])), let key = try? SSHPublicKey(blob: Array(data)) { out.append(key) }
            }
        }
        return out
    }
}
