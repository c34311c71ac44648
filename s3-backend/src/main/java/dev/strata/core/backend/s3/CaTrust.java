package dev.strata.core.backend.s3;

import dev.strata.core.error.ExitCode;
import dev.strata.core.error.UserFacingException;

import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;

/**
 * Trust managers that trust exactly the certificate authorities of one PEM file (a private CA of a
 * MinIO or Ceph RGW server), in place of the JDK's list, as {@code AWS_CA_BUNDLE} does for the AWS CLI.
 */
final class CaTrust {
    private CaTrust() {
    }

    static TrustManager[] fromPem(Path file) throws UserFacingException {
        Collection<? extends Certificate> certs;
        try (InputStream in = Files.newInputStream(file)) {
            certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
        } catch (IOException | GeneralSecurityException e) {
            throw new UserFacingException(ExitCode.USAGE, "cannot read the CA certificates in " + file + ": " + e.getMessage(), e);
        }
        if (certs.isEmpty()) {
            throw new UserFacingException(ExitCode.USAGE, file + " holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
        }
        try {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int i = 0;
            for (Certificate c : certs) {
                store.setCertificateEntry("ca-" + i++, c);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(store);
            return tmf.getTrustManagers();
        } catch (IOException | GeneralSecurityException e) {
            throw new UserFacingException(ExitCode.USAGE, "cannot use the CA certificates in " + file + ": " + e.getMessage(), e);
        }
    }
}
