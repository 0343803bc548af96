import Crypto
import Foundation
import SwiftASN1
import X509

/// A throwaway PKI for the emulator's HTTPS listener: a CA, a server certificate for 127.0.0.1
/// and localhost, and a client certificate for kubeconfigs that authenticate with one.
struct EmulatorCertificates: Sendable {
    var caPEM: String
    var serverCertificatePEM: String
    var serverKeyPEM: String
    var clientCertificatePEM: String
    var clientKeyPEM: String

    static func generate() throws -> EmulatorCertificates {
        let now = Date()
        let caKey = P256.Signing.PrivateKey()
        let caName = try DistinguishedName { CommonName("sluice-emulator-ca") }
        let ca = try Certificate(
            version: .v3, serialNumber: .init(), publicKey: .init(caKey.publicKey), notValidBefore: now - 3600,
            notValidAfter: now + 86400 * 365, issuer: caName, subject: caName,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.isCertificateAuthority(maxPathLength: nil))
                Critical(KeyUsage(keyCertSign: true, cRLSign: true))
            },
            issuerPrivateKey: .init(caKey))

        func leaf(_ cn: String, usage: ExtendedKeyUsage.Usage, sans: [GeneralName]) throws -> (String, String) {
            let key = P256.Signing.PrivateKey()
            let cert = try Certificate(
                version: .v3, serialNumber: .init(), publicKey: .init(key.publicKey), notValidBefore: now - 3600,
                notValidAfter: now + 86400 * 365, issuer: caName, subject: try DistinguishedName { CommonName(cn) },
                extensions: try Certificate.Extensions {
                    Critical(BasicConstraints.notCertificateAuthority)
                    Critical(KeyUsage(digitalSignature: true, keyEncipherment: true))
                    try ExtendedKeyUsage([usage])
                    if !sans.isEmpty { SubjectAlternativeNames(sans) }
                },
                issuerPrivateKey: .init(caKey))
            return (try cert.serializeAsPEM().pemString, key.pemRepresentation)
        }
        let server = try leaf(
            "127.0.0.1", usage: .serverAuth,
            sans: [.ipAddress(ASN1OctetString(contentBytes: [127, 0, 0, 1])), .dnsName("localhost")])
        let client = try leaf("sluice-admin", usage: .clientAuth, sans: [])
        return EmulatorCertificates(
            caPEM: try ca.serializeAsPEM().pemString, serverCertificatePEM: server.0, serverKeyPEM: server.1,
            clientCertificatePEM: client.0, clientKeyPEM: client.1)
    }
}
