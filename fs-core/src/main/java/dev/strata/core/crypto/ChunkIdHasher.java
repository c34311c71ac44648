package dev.strata.core.crypto;

import dev.strata.core.id.ChunkId;

import javax.crypto.Mac;
import javax.crypto.SecretKey;
import java.security.GeneralSecurityException;

/**
 * Computes chunk ids: HMAC-SHA-256 under the chunk-id key (docs/format.md §2.2). The JDK's SHA-256
 * uses the CPU's SHA extensions where present. Thread-safe: each thread keeps its own {@link Mac}.
 */
public final class ChunkIdHasher {
    private final ThreadLocal<Mac> macs;

    ChunkIdHasher(SecretKey key) {
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

    public ChunkId hash(byte[] data, int offset, int length) {
        Mac mac = macs.get();
        mac.update(data, offset, length);
        return ChunkId.of(mac.doFinal());
    }

    public ChunkId hash(byte[] data) {
        return hash(data, 0, data.length);
    }
}
