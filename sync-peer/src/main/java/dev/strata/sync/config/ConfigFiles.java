package dev.strata.sync.config;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.UUID;

/**
 * Writes the files of the configuration folder so that a crash or a second process never leaves one
 * half written: a private temporary file (mode 0600 from its creation, so a secret is never readable
 * by others even for a moment), fsynced, then put in place by rename or link, and the folder fsynced.
 * Stateless; safe to call from several processes at once.
 */
public final class ConfigFiles {
    private ConfigFiles() {
    }

    /** Creates {@code folder} (mode 0700) and its parents if missing. */
    public static void ensureFolder(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            Files.createDirectories(folder, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
    }

    /** Replaces {@code target} with {@code content} in one step (mode 0600). */
    public static void replace(Path target, byte[] content) throws IOException {
        Path tmp = writeTemporary(target, content);
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
        syncFolder(target.getParent());
    }

    /**
     * Writes {@code target} with {@code content} only if it does not exist yet (mode 0600). Returns false,
     * leaving the file alone, when another process made it first: a hard link fails where a rename
     * would silently replace.
     */
    public static boolean createNew(Path target, byte[] content) throws IOException {
        Path tmp = writeTemporary(target, content);
        try {
            Files.createLink(target, tmp);
        } catch (FileAlreadyExistsException e) {
            return false;
        } finally {
            Files.deleteIfExists(tmp);
        }
        syncFolder(target.getParent());
        return true;
    }

    private static Path writeTemporary(Path target, byte[] content) throws IOException {
        ensureFolder(target.getParent());
        Path tmp = target.resolveSibling("." + target.getFileName() + "." + UUID.randomUUID() + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, java.util.Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))) {
            ByteBuffer buf = ByteBuffer.wrap(content);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            ch.force(true);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw new IOException("write " + tmp + ": " + e.getMessage(), e);
        }
        return tmp;
    }

    private static void syncFolder(Path folder) throws IOException {
        try (FileChannel ch = FileChannel.open(folder, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }
}
