package dev.strata.core.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A tiny tmpfs mounted for one test and filled to the last byte, so that the next write fails with
 * ENOSPC as on a real full disk (at once, or after the test has put files on it); its space can be
 * freed again. Needs root (tests skip otherwise); unmounted on close. Confined to one thread.
 */
public final class FullFilesystem implements AutoCloseable {
    private final Path mountPoint;
    private boolean mounted;

    private FullFilesystem(Path mountPoint) {
        this.mountPoint = mountPoint;
    }

    /** Mounts a 64 KiB tmpfs at {@code mountPoint} (created if needed) and fills it; skips the test when not root. */
    public static FullFilesystem mountFull(Path mountPoint) throws IOException, InterruptedException {
        FullFilesystem fs = mount(mountPoint, "64k");
        fs.fill();
        return fs;
    }

    /**
     * Mounts an empty tmpfs of {@code size} ({@code mount -o size=}, e.g. "8m") at {@code mountPoint}
     * (created if needed), to be filled later with {@link #fill()}; skips the test when not root.
     */
    public static FullFilesystem mount(Path mountPoint, String size) throws IOException, InterruptedException {
        assumeTrue("root".equals(System.getProperty("user.name")), "mounting a tmpfs needs root");
        Files.createDirectories(mountPoint);
        FullFilesystem fs = new FullFilesystem(mountPoint);
        run("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", mountPoint.toString());
        fs.mounted = true;
        return fs;
    }

    /**
     * Fills the free space with a file named {@code filler}, page by page, until a write fails with
     * ENOSPC. Pages already given to other files keep their unused bytes: a write into such a page
     * still succeeds, the next page it needs does not (a short write, as on a real full disk).
     */
    public void fill() throws IOException {
        try (OutputStream out = Files.newOutputStream(mountPoint.resolve("filler"), StandardOpenOption.CREATE,
                StandardOpenOption.APPEND)) {
            byte[] block = new byte[4096];
            while (true) {
                out.write(block);
                out.flush();
            }
        } catch (IOException full) {
            // ENOSPC: the filesystem is full, as wanted
        }
    }

    /** Deletes the file {@link #fill()} wrote: its space is free again. */
    public void free() throws IOException {
        Files.deleteIfExists(mountPoint.resolve("filler"));
    }

    public Path root() {
        return mountPoint;
    }

    @Override
    public void close() throws IOException {
        if (mounted) {
            mounted = false;
            try {
                run("umount", "-l", mountPoint.toString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while unmounting " + mountPoint, e);
            }
        }
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException(List.of(command) + " failed: " + out);
        }
    }
}
