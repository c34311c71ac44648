package dev.strata.cli.command;

import java.nio.file.Files;
import java.nio.file.Path;

/** Whether this machine can mount: libfuse 2's fusermount is installed. */
final class FuseTools {
    private FuseTools() {
    }

    static boolean available() {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "fusermount"))) {
                return true;
            }
        }
        return Files.isExecutable(Path.of("/usr/bin/fusermount")) || Files.isExecutable(Path.of("/bin/fusermount"));
    }
}
