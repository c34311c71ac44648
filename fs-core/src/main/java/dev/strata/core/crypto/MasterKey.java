package dev.strata.core.crypto;

import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * A repository's master secret and the working keys derived from it (docs/format.md §2.1).
 * Immutable, thread-safe.
 */
public final class MasterKey {
    public static final int SECRET_LENGTH = 64;
    public static final int REPOSITORY_ID_LENGTH = 16;

    private final byte[] secret;
    private final byte[] repositoryId;
    private final ChunkIdHasher chunkIdHasher;
    private final Aes256GcmCipher dataCipher;
    private final Aes256GcmCipher metadataCipher;
    private final long[] gearTable;

    private MasterKey(byte[] secret, byte[] repositoryId) {
        if (secret.length != SECRET_LENGTH) {
            throw new IllegalArgumentException("a master secret has " + SECRET_LENGTH + " bytes");
        }
        if (repositoryId.length != REPOSITORY_ID_LENGTH) {
            throw new IllegalArgumentException("a repository id has " + REPOSITORY_ID_LENGTH + " bytes");
        }
        this.secret = secret.clone();
        this.repositoryId = repositoryId.clone();
        this.chunkIdHasher = new ChunkIdHasher(aesKey("strata/v1/chunk-id", "HmacSHA256"));
        this.dataCipher = new Aes256GcmCipher(aesKey("strata/v1/data", "AES"));
        this.metadataCipher = new Aes256GcmCipher(aesKey("strata/v1/meta", "AES"));
        byte[] gear = Hkdf.derive(secret, repositoryId, "strata/v1/gear", 256 * Long.BYTES);
        this.gearTable = new long[256];
        ByteBuffer.wrap(gear).order(ByteOrder.LITTLE_ENDIAN).asLongBuffer().get(gearTable);
    }

    public static MasterKey of(byte[] secret, byte[] repositoryId) {
        return new MasterKey(secret, repositoryId);
    }

    /** A new random master secret for a new repository. */
    public static MasterKey generate(byte[] repositoryId) {
        byte[] secret = new byte[SECRET_LENGTH];
        new SecureRandom().nextBytes(secret);
        return new MasterKey(secret, repositoryId);
    }

    /** The secret itself, for wrapping into key files only. */
    byte[] secret() {
        return secret.clone();
    }

    public byte[] repositoryId() {
        return repositoryId.clone();
    }

    public ChunkIdHasher chunkIdHasher() {
        return chunkIdHasher;
    }

    /** The cipher for pack entries and pack tables. */
    public Aes256GcmCipher dataCipher() {
        return dataCipher;
    }

    /** The cipher for config, snapshots and locks. */
    public Aes256GcmCipher metadataCipher() {
        return metadataCipher;
    }

    /** The chunker's keyed Gear table (a copy). */
    public long[] gearTable() {
        return gearTable.clone();
    }

    private SecretKey aesKey(String label, String algorithm) {
        return new SecretKeySpec(Hkdf.derive(secret, repositoryId, label, 32), algorithm);
    }

    @Override
    public String toString() {
        return "MasterKey[repository " + dev.strata.core.id.Hex.encode(repositoryId) + "]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MasterKey && Arrays.equals(secret, ((MasterKey) o).secret)
                && Arrays.equals(repositoryId, ((MasterKey) o).repositoryId);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(repositoryId);
    }
}
