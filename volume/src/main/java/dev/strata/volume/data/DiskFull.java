package dev.strata.volume.data;

import dev.strata.core.view.PosixError;
import dev.strata.core.view.PosixException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Tells a full disk apart among the I/O errors of writing a volume's local state, so that a program
 * writing to the volume gets ENOSPC, as from a local filesystem, rather than EIO. The JDK reports a
 * full disk as a plain IOException; its message (the C library's) names it, and where that is
 * translated, the free space of the disk tells. Stateless.
 */
final class DiskFull {
    private static final String ENOSPC_MESSAGE = "No space left on device";
    /** Less free space than this on the state's disk after a failed write means it is full. */
    private static final long NEARLY_FULL = 1 << 20;

    private DiskFull() {
    }

    /** {@code e} as ENOSPC if it says the disk holding {@code folder} is full; else {@code e} itself. */
    static IOException translate(IOException e, Path folder) {
        if (e instanceof PosixException) {
            return e;
        }
        if (!says(e) && !nearlyFull(folder)) {
            return e;
        }
        PosixException full = new PosixException(PosixError.ENOSPC, "the disk holding " + folder + " is full");
        full.initCause(e);
        return full;
    }

    private static boolean says(IOException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && t.getMessage().contains(ENOSPC_MESSAGE)) {
                return true;
            }
        }
        return false;
    }

    private static boolean nearlyFull(Path folder) {
        try {
            return Files.getFileStore(folder).getUsableSpace() < NEARLY_FULL;
        } catch (IOException | RuntimeException unknown) {
            return false;
        }
    }
}
