package dev.strata.core.posix;

import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the command-line tools the tests compare against. Stateless and thread-safe. */
final class Shell {
    private Shell() {
    }

    /** Runs the command and returns its standard output; fails if it exits non-zero. */
    static String run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException("timed out: " + List.of(command));
        }
        if (process.exitValue() != 0) {
            throw new IOException(List.of(command) + " exited " + process.exitValue() + ": " + output);
        }
        return output;
    }

    /** Skips the test unless the tool is on the PATH (or in /sbin, /usr/sbin). */
    static void assumeTool(String name) {
        boolean found = false;
        String path = System.getenv().getOrDefault("PATH", "") + ":/sbin:/usr/sbin";
        for (String dir : path.split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, name))) {
                found = true;
                break;
            }
        }
        assumeThat(found).as("%s is installed", name).isTrue();
    }

    /** Skips the test unless it runs as root. */
    static void assumeRoot() throws IOException {
        assumeThat(Posix.get().stat(Path.of("/proc/self")).uid()).as("running as root").isZero();
    }
}
