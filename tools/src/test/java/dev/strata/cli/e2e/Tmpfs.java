package dev.strata.cli.e2e;

import dev.strata.core.posix.Posix;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * A tmpfs the test mounts (root only; the test is skipped otherwise) and always unmounts: a small
 * disk to fill, or a fast one for many files. Confined to one test.
 */
final class Tmpfs implements AutoCloseable {
    final Path dir;

    private Tmpfs(Path dir) {
        this.dir = dir;
    }

    /** Mounts a tmpfs of {@code size} ("2m", "1g") on the new folder {@code dir}. */
    static Tmpfs mount(Path dir, String size) throws IOException, InterruptedException {
        assumeThat(Posix.get().effectiveUid()).as("mounting a tmpfs needs root").isZero();
        Files.createDirectories(dir);
        assumeThat(run("mount", "-t", "tmpfs", "-o", "size=" + size, "strata-test", dir.toString()))
                .as("mount -t tmpfs").isZero();
        return new Tmpfs(dir);
    }

    /** Gives it a new size, as freeing space on a full disk would. */
    void resize(String size) throws IOException, InterruptedException {
        if (run("mount", "-o", "remount,size=" + size, dir.toString()) != 0) {
            throw new IOException("cannot resize the tmpfs at " + dir);
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        if (run("umount", dir.toString()) != 0 && run("umount", "-l", dir.toString()) != 0) {
            throw new IOException("cannot unmount the tmpfs at " + dir);
        }
    }

    static int run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return -1;
        }
        return p.exitValue();
    }
}
