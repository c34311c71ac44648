package dev.strata.fuse;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Unmounts a FUSE mount point with fusermount, lazily as a last resort when it is busy. Stateless. */
public final class Unmounter {
    private Unmounter() {
    }

    /** Unmounts {@code mountpoint}; returns quietly if it is not mounted. */
    public static void unmount(Path mountpoint) throws IOException {
        String mp = mountpoint.toAbsolutePath().normalize().toString();
        if (!FuseMount.isMounted(mountpoint)) {
            return;
        }
        if (run("fusermount", "-u", mp) == 0 || !FuseMount.isMounted(mountpoint)) {
            return;
        }
        // Busy (a shell sits in it, a file is open): detach now, the kernel finishes when it is free.
        if (run("fusermount", "-u", "-z", mp) != 0 && FuseMount.isMounted(mountpoint)) {
            throw new IOException("cannot unmount " + mp + " (fusermount failed)");
        }
    }

    private static int run(String... cmd) throws IOException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return -1;
            }
            return p.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            return -1;
        }
    }
}
