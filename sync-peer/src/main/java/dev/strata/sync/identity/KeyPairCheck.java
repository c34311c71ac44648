package dev.strata.sync.identity;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;

/**
 * Checks that a private key belongs to a certificate by signing a probe with one and verifying it
 * with the other: a file whose key and certificate were mixed up would otherwise fail only in a
 * handshake, with a message that names neither. Stateless.
 */
final class KeyPairCheck {
    private KeyPairCheck() {
    }

    static void requireMatch(PrivateKey key, X509Certificate certificate) throws GeneralSecurityException {
        byte[] probe = "strata device key check".getBytes(StandardCharsets.US_ASCII);
        Signature signer = Signature.getInstance(SelfSignedCertificate.SIGNATURE);
        signer.initSign(key);
        signer.update(probe);
        byte[] signature = signer.sign();
        Signature verifier = Signature.getInstance(SelfSignedCertificate.SIGNATURE);
        verifier.initVerify(certificate.getPublicKey());
        verifier.update(probe);
        if (!verifier.verify(signature)) {
            throw new IllegalArgumentException("the private key is not the certificate's");
        }
        certificate.verify(certificate.getPublicKey());
    }
}
