package dev.strata.core.crypto;

import dev.strata.core.error.CorruptDataException;
import dev.strata.core.id.Hex;

import javax.crypto.AEADBadTagException;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * A shareable volume's own keys (docs/format.md §2.4): its 32-byte volume secret and chunker sizes, from
 * which its chunk-id key and Gear table are derived, so that every repository holding the volume names
 * and cuts its chunks alike. Kept wrapped under a repository's metadata key, bound to the volume id.
 * Immutable, thread-safe; the secret is never printed.
 */
public final class VolumeKeys {
    public static final int SECRET_LENGTH = 32;
    public static final int VOLUME_ID_LENGTH = 16;
    /** The wrapped plaintext: version, secret, three sizes. */
    static final int PLAIN_LENGTH = 1 + SECRET_LENGTH + 3 * Integer.BYTES;
    private static final int VERSION = 1;

    private final byte[] volumeId;
    private final byte[] secret;
    /** The chunker's minimum, average and maximum sizes; the store checks them when it cuts with them. */
    private final int[] chunkerSizes;
    private final ChunkIdHasher chunkIdHasher;
    private final long[] gearTable;

    private VolumeKeys(byte[] volumeId, byte[] secret, int[] chunkerSizes) {
        if (volumeId.length != VOLUME_ID_LENGTH) {
            throw new IllegalArgumentException("a volume id has " + VOLUME_ID_LENGTH + " bytes, got " + volumeId.length);
        }
        if (secret.length != SECRET_LENGTH) {
            throw new IllegalArgumentException("a volume secret has " + SECRET_LENGTH + " bytes, got " + secret.length);
        }
        this.volumeId = volumeId.clone();
        this.secret = secret.clone();
        if (chunkerSizes.length != 3) {
            throw new IllegalArgumentException("chunker sizes are minimum, average and maximum");
        }
        this.chunkerSizes = chunkerSizes.clone();
        this.chunkIdHasher = new ChunkIdHasher(new SecretKeySpec(
                Hkdf.derive(secret, volumeId, "strata/v1/volume/chunk-id", 32), "HmacSHA256"));
        byte[] gear = Hkdf.derive(secret, volumeId, "strata/v1/volume/gear", 256 * Long.BYTES);
        this.gearTable = new long[256];
        ByteBuffer.wrap(gear).order(ByteOrder.LITTLE_ENDIAN).asLongBuffer().get(gearTable);
    }

    /** New random keys for a new volume, to be cut with chunks of {@code minSize}..{@code maxSize} bytes. */
    public static VolumeKeys generate(byte[] volumeId, int minSize, int avgSize, int maxSize) {
        byte[] secret = new byte[SECRET_LENGTH];
        new SecureRandom().nextBytes(secret);
        return new VolumeKeys(volumeId, secret, new int[] {minSize, avgSize, maxSize});
    }

    /** The keys in their plain form: what a joining peer receives, and what {@link #wrap} seals. */
    public byte[] plaintext() {
        ByteBuffer b = ByteBuffer.allocate(PLAIN_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) VERSION).put(secret);
        b.putInt(chunkerSizes[0]).putInt(chunkerSizes[1]).putInt(chunkerSizes[2]);
        return b.array();
    }

    /** Keys from their plain form, for the volume {@code volumeId}; damaged data is refused, naming the volume. */
    public static VolumeKeys fromPlaintext(byte[] volumeId, byte[] plain) throws CorruptDataException {
        String name = shortName(volumeId);
        if (plain.length != PLAIN_LENGTH || (plain[0] & 0xFF) != VERSION) {
            throw new CorruptDataException("the keys of volume " + name + " are damaged: "
                    + (plain.length != PLAIN_LENGTH ? plain.length + " bytes instead of " + PLAIN_LENGTH
                    : "unknown version " + (plain[0] & 0xFF)));
        }
        ByteBuffer b = ByteBuffer.wrap(plain).order(ByteOrder.LITTLE_ENDIAN);
        b.position(1);
        byte[] secret = new byte[SECRET_LENGTH];
        b.get(secret);
        return new VolumeKeys(volumeId, secret, new int[] {b.getInt(), b.getInt(), b.getInt()});
    }

    /** An envelope under the repository's metadata key, bound to this volume (AAD names its id). */
    public byte[] wrap(MasterKey repositoryKey) {
        return repositoryKey.metadataCipher().seal(plaintext(), aad(volumeId));
    }

    /**
     * Opens keys wrapped by {@link #wrap}. Keys of another volume, keys wrapped by another repository
     * and a damaged envelope all fail the tag and are refused as damaged, naming the volume.
     */
    public static VolumeKeys unwrap(MasterKey repositoryKey, byte[] volumeId, byte[] wrapped) throws CorruptDataException {
        if (wrapped.length != PLAIN_LENGTH + Aes256GcmCipher.OVERHEAD) {
            throw new CorruptDataException("the keys of volume " + shortName(volumeId) + " are damaged: "
                    + wrapped.length + " bytes instead of " + (PLAIN_LENGTH + Aes256GcmCipher.OVERHEAD));
        }
        try {
            return fromPlaintext(volumeId, repositoryKey.metadataCipher().open(wrapped, aad(volumeId)));
        } catch (AEADBadTagException e) {
            throw new CorruptDataException("the keys of volume " + shortName(volumeId)
                    + " do not open: damaged, or not this volume's or this repository's");
        }
    }

    private static byte[] aad(byte[] volumeId) {
        return ("strata-volume-keys/v1|" + Hex.encode(volumeId)).getBytes(StandardCharsets.US_ASCII);
    }

    private static String shortName(byte[] volumeId) {
        return Hex.encode(volumeId).substring(0, 8);
    }

    public byte[] volumeId() {
        return volumeId.clone();
    }

    /** The volume's chunk-id key as a hasher. */
    public ChunkIdHasher chunkIdHasher() {
        return chunkIdHasher;
    }

    /** The volume chunker's Gear table (a copy). */
    public long[] gearTable() {
        return gearTable.clone();
    }

    /** The volume chunker's minimum, average and maximum sizes, as stored (a copy; not yet checked). */
    public int[] chunkerSizes() {
        return chunkerSizes.clone();
    }

    /** The short name of the volume in messages: the first 8 hex digits of its id. */
    public String shortName() {
        return shortName(volumeId);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof VolumeKeys k && Arrays.equals(k.volumeId, volumeId) && Arrays.equals(k.secret, secret)
                && Arrays.equals(k.chunkerSizes, chunkerSizes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(volumeId);
    }

    @Override
    public String toString() {
        return "VolumeKeys[volume " + Hex.encode(volumeId) + "]";
    }
}
