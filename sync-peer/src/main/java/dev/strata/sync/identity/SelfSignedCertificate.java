package dev.strata.sync.identity;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;

/**
 * Builds a device's self-signed X.509 certificate with Bouncy Castle: ECDSA P-256 with SHA-256, a
 * random serial, usable for TLS server and client authentication, and no expiry to speak of (the
 * certificate is pinned by its hash, so a date would only make it stop working one day). Stateless.
 */
final class SelfSignedCertificate {
    static final String SIGNATURE = "SHA256withECDSA";
    /** RFC 5280 §4.1.2.5: 9999-12-31T23:59:59Z means the certificate has no well-defined expiry. */
    private static final Instant NO_EXPIRY = Instant.parse("9999-12-31T23:59:59Z");

    private SelfSignedCertificate() {
    }

    static X509Certificate create(KeyPair keys, String subject, Instant now) {
        X500Name name = new X500Name(subject);
        BigInteger serial = new BigInteger(127, new SecureRandom()).add(BigInteger.ONE);
        // A day back: a peer whose clock is behind must not see a certificate from the future.
        Date notBefore = Date.from(now.minusSeconds(86_400));
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, serial, notBefore, Date.from(NO_EXPIRY),
                name, keys.getPublic());
        try {
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            builder.addExtension(Extension.extendedKeyUsage, false,
                    new ExtendedKeyUsage(new KeyPurposeId[]{KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
            return new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder(SIGNATURE).build(keys.getPrivate())));
        } catch (CertIOException | OperatorCreationException | GeneralSecurityException e) {
            throw new IllegalStateException("make a device certificate: " + e.getMessage(), e);
        }
    }
}
