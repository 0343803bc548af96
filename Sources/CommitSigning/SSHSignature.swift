public import Crypto
import Foundation

/// OpenSSH's signature format (PROTOCOL.sshsig), the one `git -c gpg.format=ssh` writes and
/// `ssh-keygen -Y verify` checks: an ed25519 signature over a SHA-512 of the message, bound to a
/// namespace (`git` for commits) so a signature made for one use is no good for another.
public enum SSHSignature {
    static let magic = Array("SSHSIG".utf8)
    static let armorBegin = "-----BEGIN SSH SIGNATURE-----"
    static let armorEnd = "-----END SSH SIGNATURE-----"

    /// The armored signature of `message` under `namespace`.
    public static func sign(_ message: [UInt8], with key: Ed25519Key, namespace: String = "git") throws(SigningError) -> String {
        let toSign = signedData(message, namespace: namespace)
        let signature: Data
        do {
            signature = try key.privateKey.signature(for: toSign)
        } catch {
            throw SigningError("signing failed")
        }
        var sig = SSHWireWriter()
        sig.string("ssh-ed25519")
        sig.string(Array(signature))
        var w = SSHWireWriter()
        w.raw(magic)
        w.uint32(1)
        w.string(key.publicKey.blob)
        w.string(namespace)
        w.string("")
        w.string("sha512")
        w.string(sig.bytes)
        let b64 = Data(w.bytes).base64EncodedString()
        var lines = [armorBegin]
        var i = b64.startIndex
        while i < b64.endIndex {
            let j = b64.index(i, offsetBy: 70, limitedBy: b64.endIndex) ?? b64.endIndex
            lines.append(String(b64[i..<j]))
            i = j
        }
        lines.append(armorEnd)
        return lines.joined(separator: "\n") + "\n"
    }

    /// The key that made `armored` over `message`, when the signature is good for `namespace`;
    /// an error saying why not otherwise. Whether that key is trusted is the caller's question.
    public static func verify(_ armored: String, message: [UInt8], namespace: String = "git") throws(SigningError) -> SSHPublicKey {
        let lines = armored.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
        guard let begin = lines.firstIndex(of: armorBegin), let end = lines.firstIndex(of: armorEnd), begin < end,
            let data = Data(base64Encoded: lines[(begin + 1)..<end].joined())
        else { throw SigningError("not an SSH signature") }
        var r = SSHWireReader(Array(data))
        guard try r.raw(6) == magic, try r.uint32() == 1 else { throw SigningError("not an SSHSIG version 1 signature") }
        let key = try SSHPublicKey(blob: try r.string())
        guard try r.text() == namespace else { throw SigningError("signed for another use than \(namespace)") }
        _ = try r.string()
        guard try r.text() == "sha512" else { throw SigningError("a hash other than sha512") }
        var s = SSHWireReader(try r.string())
        guard try s.text() == "ssh-ed25519" else { throw SigningError("not an ed25519 signature") }
        let signature = try s.string()
        guard r.isAtEnd, s.isAtEnd, signature.count == 64 else { throw SigningError("a malformed signature") }
        let publicKey: Curve25519.Signing.PublicKey
        do {
            publicKey = try Curve25519.Signing.PublicKey(rawRepresentation: key.raw)
        } catch {
            throw SigningError("a malformed public key")
        }
        guard publicKey.isValidSignature(signature, for: signedData(message, namespace: namespace)) else {
            throw SigningError("the signature does not match the commit")
        }
        return key
    }

    static func signedData(_ message: [UInt8], namespace: String) -> [UInt8] {
        var w = SSHWireWriter()
        w.raw(magic)
        w.string(namespace)
        w.string("")
        w.string("sha512")
        w.string(Array(SHA512.hash(data: message)))
        return w.bytes
    }
}
