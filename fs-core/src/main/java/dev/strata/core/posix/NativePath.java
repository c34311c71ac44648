package dev.strata.core.posix;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Encodes paths and names as the NUL-terminated bytes C functions take, in the JDK's filename
 * encoding, and decodes names the kernel returns. Stateless and thread-safe.
 *
 * <p>The JDK offers no public way to get a {@code Path}'s raw bytes, so a name that is not valid
 * in the filename encoding does not survive the round trip through {@code Path.toString()}.
 */
final class NativePath {
    /** The charset the JDK itself uses for filenames on Unix. */
    static final Charset FILENAME_CHARSET = filenameCharset();

    private NativePath() {
    }

    static byte[] of(Path path) {
        return terminated(path.toString());
    }

    /** A name (an extended attribute, a user) as NUL-terminated bytes. */
    static byte[] terminated(String name) {
        byte[] bytes = name.getBytes(FILENAME_CHARSET);
        for (byte b : bytes) {
            if (b == 0) {
                throw new IllegalArgumentException("name contains NUL: " + name);
            }
        }
        return Arrays.copyOf(bytes, bytes.length + 1);
    }

    static String decode(byte[] bytes, int offset, int length) {
        return new String(bytes, offset, length, FILENAME_CHARSET);
    }

    private static Charset filenameCharset() {
        String name = System.getProperty("sun.jnu.encoding");
        try {
            return name == null ? StandardCharsets.UTF_8 : Charset.forName(name);
        } catch (IllegalArgumentException e) {
            return StandardCharsets.UTF_8;
        }
    }
}
