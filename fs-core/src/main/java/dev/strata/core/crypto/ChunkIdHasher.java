package dev.strata.core.crypto;

import dev.strata.core.id.ChunkId;

import javax.crypto.Mac;
import javax.crypto.SecretKey;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;

/**
 * Computes chunk ids: HMAC-SHA-256 under the chunk-id key (docs/format.md §2.2). The JDK's SHA-256
 * uses the CPU's SHA extensions where present. Thread-safe: each thread keeps its own {@link Mac}.
 */
public final class ChunkIdHasher {
    private final ThreadLocal<Mac> macs;
    private final SecretKey key;

    ChunkIdHasher(SecretKey key) {
        this.key = key;
        this.macs = ThreadLocal.withInitial(() -> {
            try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(key);
                return mac;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("the JDK lacks HmacSHA256", e);
            }
        });
    }

    /**
     * A hasher under a chunk-id key other than a repository's own: the key peers of a shared volume
     * agree on, so that a chunk has the same id on every peer (docs/sync.md). 32 bytes.
     */
    public static ChunkIdHasher withKey(byte[] key) {
        if (key.length != 32) {
            throw new IllegalArgumentException("a chunk-id key has 32 bytes, got " + key.length);
        }
        return new ChunkIdHasher(new javax.crypto.spec.SecretKeySpec(key, "HmacSHA256"));
    }

    public ChunkId hash(byte[] data, int offset, int length) {
        Mac mac = macs.get();
        mac.update(data, offset, length);
        return ChunkId.of(mac.doFinal());
    }

    public ChunkId hash(byte[] data) {
        return hash(data, 0, data.length);
    }

    /** Hashes data given piece by piece, with the id of every prefix available along the way. */
    public Prefix prefix() {
        return new Prefix(key);
    }

    /**
     * The id of the bytes fed so far, for any number of prefixes of one input: HMAC written out over the
     * JDK's SHA-256 (RFC 2104), so that asking for a prefix's id costs one copy of the inner hash state
     * and the outer key block is hashed once, not per id. Confined to one thread.
     */
    public static final class Prefix {
        private static final int BLOCK = 64;
        private final MessageDigest inner;
        private final MessageDigest outer;
        private long length;

        private Prefix(SecretKey key) {
            byte[] k = key.getEncoded();
            try {
                if (k.length > BLOCK) {
                    k = MessageDigest.getInstance("SHA-256").digest(k);
                }
                byte[] ipad = new byte[BLOCK];
                byte[] opad = new byte[BLOCK];
                for (int i = 0; i < BLOCK; i++) {
                    byte b = i < k.length ? k[i] : 0;
                    ipad[i] = (byte) (b ^ 0x36);
                    opad[i] = (byte) (b ^ 0x5c);
                }
                inner = MessageDigest.getInstance("SHA-256");
                inner.update(ipad);
                outer = MessageDigest.getInstance("SHA-256");
                outer.update(opad);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("the JDK lacks SHA-256", e);
            }
        }

        public void update(byte[] data, int offset, int n) {
            inner.update(data, offset, n);
            length += n;
        }

        /** How many bytes were fed. */
        public long length() {
            return length;
        }

        /** The id of everything fed so far; more may be fed afterwards. */
        public ChunkId id() {
            try {
                byte[] innerHash = ((MessageDigest) inner.clone()).digest();
                MessageDigest o = (MessageDigest) outer.clone();
                o.update(innerHash);
                return ChunkId.of(o.digest());
            } catch (CloneNotSupportedException e) {
                throw new IllegalStateException("the JDK's SHA-256 cannot be cloned", e);
            }
        }
    }
}
