package dev.strata.snapshot.backup.filter;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The only file reading the walk-time filters do: ignore files and cache directory tags. Keeping
 * it behind this interface leaves the matching pure, and lets tests serve files from memory.
 * Implementations are thread-safe.
 */
public interface FilterFiles {
    /**
     * The text of an ignore file, decoded as UTF-8 (malformed bytes replaced).
     *
     * @throws IOException if it cannot be read, is not a regular file (a symbolic link is not
     *     followed, as git does not follow a symlinked .gitignore), or is unreasonably large
     */
    String readText(Path file) throws IOException;

    /**
     * Up to {@code maxBytes} from the start of {@code file}, or an empty array if it is not a
     * regular file (a symbolic link is not followed).
     */
    byte[] readHead(Path file, int maxBytes) throws IOException;

    /** The local filesystem, through java.nio. */
    static FilterFiles local() {
        return LocalFilterFiles.INSTANCE;
    }
}
