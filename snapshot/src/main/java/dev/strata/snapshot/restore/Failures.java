package dev.strata.snapshot.restore;

import dev.strata.snapshot.backup.filter.IoReasons;

import java.io.IOException;
import java.nio.file.FileSystemException;

/** How a restore tells failures apart and words them. Stateless, thread-safe. */
final class Failures {
    private Failures() {
    }

    /**
     * Whether {@code e} says the target's filesystem is full (ENOSPC, or EDQUOT: the user's quota).
     * The JDK gives both only as the C library's text.
     */
    static boolean diskFull(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String text = t instanceof FileSystemException f && f.getReason() != null ? f.getReason() : t.getMessage();
            if (text != null && (text.contains("No space left on device") || text.contains("Disk quota exceeded"))) {
                return true;
            }
        }
        return false;
    }

    /** Why, without the path (messages name it already, escaped; the JDK's copy of it is not). */
    static String reason(Exception e) {
        if (e instanceof IOException io) {
            return IoReasons.of(io);
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }
}
