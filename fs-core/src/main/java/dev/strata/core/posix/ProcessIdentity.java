package dev.strata.core.posix;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The uid and gid of this process (-1 when they cannot be read), for the records of what it saves. Stateless. */
public final class ProcessIdentity {
    private ProcessIdentity() {
    }

    public static long uid() {
        return attribute("unix:uid");
    }

    public static long gid() {
        return attribute("unix:gid");
    }

    private static long attribute(String name) {
        try {
            return ((Number) Files.getAttribute(Path.of("/proc/self"), name)).longValue();
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
