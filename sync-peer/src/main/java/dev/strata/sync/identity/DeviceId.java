package dev.strata.sync.identity;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Arrays;

/**
 * A device's ID: the SHA-256 of its certificate's DER encoding, written as eight dash-joined blocks
 * of base32 with a check character in every second block ({@link DeviceIdForm}, docs/sync.md).
 * Immutable, thread-safe.
 */
public final class DeviceId implements Comparable<DeviceId> {
    public static final int LENGTH = 32;

    private final byte[] bytes;
    private final String text;

    private DeviceId(byte[] bytes) {
        if (bytes.length != LENGTH) {
            throw new IllegalArgumentException("a device ID has " + LENGTH + " bytes, got " + bytes.length);
        }
        this.bytes = bytes.clone();
        this.text = DeviceIdForm.format(this.bytes);
    }

    public static DeviceId of(byte[] sha256) {
        return new DeviceId(sha256);
    }

    /** The ID of the device that holds {@code certificate}'s private key. */
    public static DeviceId of(X509Certificate certificate) {
        try {
            return new DeviceId(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
        } catch (CertificateEncodingException e) {
            throw new IllegalArgumentException("a certificate that cannot be encoded: " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks SHA-256", e);
        }
    }

    /**
     * Reads an ID as a person typed it (either case, dashes and spaces optional). Throws
     * {@link IllegalArgumentException} with a message that says what is wrong, for instance which
     * blocks hold a mistyped character.
     */
    public static DeviceId parse(String text) {
        return new DeviceId(DeviceIdForm.parse(text));
    }

    public byte[] bytes() {
        return bytes.clone();
    }

    /** The first block, for logs. */
    public String shortString() {
        return text.substring(0, DeviceIdForm.BLOCK);
    }

    @Override
    public String toString() {
        return text;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DeviceId && Arrays.equals(bytes, ((DeviceId) o).bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public int compareTo(DeviceId other) {
        return Arrays.compareUnsigned(bytes, other.bytes);
    }
}
