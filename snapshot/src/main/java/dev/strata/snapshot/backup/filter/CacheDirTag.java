package dev.strata.snapshot.backup.filter;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The Cache Directory Tagging Specification (https://bford.info/cachedir/): a directory holding
 * a regular file {@code CACHEDIR.TAG} whose first 43 bytes are exactly {@link #SIGNATURE} is a
 * cache. Stateless, thread-safe.
 */
final class CacheDirTag {
    static final String FILE_NAME = "CACHEDIR.TAG";
    static final byte[] SIGNATURE = "Signature: 8a477f597d28d172789f06886806bc55".getBytes(StandardCharsets.US_ASCII);

    private CacheDirTag() {
    }

    /** Whether a tag file starting with {@code head} is valid: case, spacing, nothing before it. */
    static boolean isValid(byte[] head) {
        return head.length >= SIGNATURE.length
                && Arrays.equals(head, 0, SIGNATURE.length, SIGNATURE, 0, SIGNATURE.length);
    }
}
