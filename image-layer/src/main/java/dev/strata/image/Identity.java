package dev.strata.image;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The uid and gid of this process, for the records of what it saves. Stateless. */
final class Identity {
    private Identity() {
    }

    static long uid() {
        return attribute("unix:uid");
    }

    static long gid() {
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
