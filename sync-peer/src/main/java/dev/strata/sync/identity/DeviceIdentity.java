package dev.strata.sync.identity;

import dev.strata.sync.config.ConfigFiles;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * This device's identity: an ECDSA P-256 key pair and a self-signed certificate for it, kept together
 * in {@code device.pem} in the configuration folder (mode 0600), made on first use. Its
 * {@link DeviceId} is the SHA-256 of the certificate. Immutable, thread-safe.
 *
 * <p>ECDSA P-256 because TLS 1.3 makes {@code ecdsa_secp256r1_sha256} mandatory to implement (RFC 8446
 * §9.1): the JDK 17 handshake accepts it as client and as server certificate, and so will any other
 * implementation. (Ed25519 certificates work on JDK 17 too, but are optional in TLS 1.3.)
 */
public final class DeviceIdentity {
    public static final String FILE_NAME = "device.pem";
    /** The subject every device certificate carries; devices are told apart by their certificate's hash, not by name. */
    public static final String SUBJECT = "CN=strata device";
    private static final String KEY_LABEL = "PRIVATE KEY";
    private static final String CERT_LABEL = "CERTIFICATE";

    private final PrivateKey privateKey;
    private final X509Certificate certificate;
    private final DeviceId id;

    private DeviceIdentity(PrivateKey privateKey, X509Certificate certificate) {
        this.privateKey = privateKey;
        this.certificate = certificate;
        this.id = DeviceId.of(certificate);
    }

    /**
     * The identity kept in {@code folder}, made and stored there first if there is none. Two
     * processes that start at once end with the same identity: the file is created only if absent,
     * and whoever lost reads the winner's.
     */
    public static DeviceIdentity loadOrCreate(Path folder, Clock clock) throws IOException {
        Optional<DeviceIdentity> existing = load(folder);
        if (existing.isPresent()) {
            return existing.get();
        }
        DeviceIdentity fresh = generate(SUBJECT, clock);
        if (ConfigFiles.createNew(folder.resolve(FILE_NAME), fresh.encode())) {
            return fresh;
        }
        return load(folder).orElseThrow(() -> new NoSuchFileException(folder.resolve(FILE_NAME).toString()));
    }

    /** The identity kept in {@code folder}, or empty if it has none yet. */
    public static Optional<DeviceIdentity> load(Path folder) throws IOException {
        Path file = folder.resolve(FILE_NAME);
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        try {
            return Optional.of(decode(new String(bytes, StandardCharsets.US_ASCII)));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new DamagedIdentityException(file, e);
        }
    }

    /**
     * A new identity with a fresh key pair, held in memory only. {@code subject} is an X.500 name;
     * devices use {@link #SUBJECT}.
     */
    public static DeviceIdentity generate(String subject, Clock clock) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair keys = g.generateKeyPair();
            return new DeviceIdentity(keys.getPrivate(), SelfSignedCertificate.create(keys, subject, clock.instant()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK cannot make an EC P-256 key pair", e);
        }
    }

    /** Stores this identity in {@code folder} unless one is there already; false if one was. */
    public boolean storeIfAbsent(Path folder) throws IOException {
        return ConfigFiles.createNew(folder.resolve(FILE_NAME), encode());
    }

    public DeviceId id() {
        return id;
    }

    public PrivateKey privateKey() {
        return privateKey;
    }

    public X509Certificate certificate() {
        return certificate;
    }

    byte[] encode() {
        try {
            return (pem(KEY_LABEL, privateKey.getEncoded()) + pem(CERT_LABEL, certificate.getEncoded()))
                    .getBytes(StandardCharsets.US_ASCII);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("encode the device certificate", e);
        }
    }

    private static DeviceIdentity decode(String text) throws GeneralSecurityException {
        List<Pem.Block> blocks = Pem.read(text);
        byte[] key = Pem.only(blocks, KEY_LABEL);
        byte[] cert = Pem.only(blocks, CERT_LABEL);
        PrivateKey privateKey = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(key));
        X509Certificate certificate = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(cert));
        if (!(certificate.getPublicKey() instanceof ECPublicKey)) {
            throw new IllegalArgumentException("the certificate's key is not an EC key");
        }
        KeyPairCheck.requireMatch(privateKey, certificate);
        return new DeviceIdentity(privateKey, certificate);
    }

    private static String pem(String label, byte[] der) {
        return "-----BEGIN " + label + "-----\n" + Base64.getMimeEncoder(64, new byte[]{'\n'}).encodeToString(der)
                + "\n-----END " + label + "-----\n";
    }
}
