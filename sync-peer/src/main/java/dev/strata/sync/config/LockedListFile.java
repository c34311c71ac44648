package dev.strata.sync.config;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A file of the configuration folder that holds one list (the peers, the shared volumes). Every change
 * is a read, change and atomic replace under a lock file beside it, so two commands at once never lose
 * each other's change. Thread-safe (holds no state between calls).
 *
 * @param <T> what the list holds
 */
public final class LockedListFile<T> {
    /** File locks are held per process: threads of one process take turns on the lock file's path first. */
    private static final ConcurrentHashMap<Path, Object> IN_PROCESS = new ConcurrentHashMap<>();

    /** How the list is written and read; {@code decode} says clearly what is wrong with a damaged file. */
    public interface Codec<T> {
        byte[] encode(List<T> items) throws IOException;

        List<T> decode(byte[] bytes) throws IOException;
    }

    /** A change to the list, made in place; its result is returned by {@link #change}. */
    public interface Change<T, R> {
        R apply(List<T> items) throws IOException;
    }

    private final Path folder;
    private final Path file;
    private final Path lockFile;
    private final Codec<T> codec;

    public LockedListFile(Path folder, String fileName, Codec<T> codec) {
        this.folder = folder;
        this.file = folder.resolve(fileName);
        this.lockFile = folder.resolve("." + fileName.replaceFirst("\\.json$", "") + ".lock");
        this.codec = codec;
    }

    public Path file() {
        return file;
    }

    /** The list as the file holds it now; empty when there is no file yet. */
    public List<T> list() throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return List.of();
        }
        return codec.decode(bytes);
    }

    /**
     * Applies {@code change} to the list under the lock; the file is replaced only when the list came out
     * different.
     */
    public <R> R change(Change<T, R> change) throws IOException {
        synchronized (IN_PROCESS.computeIfAbsent(lockFile.toAbsolutePath().normalize(), p -> new Object())) {
            ConfigFiles.ensureFolder(folder);
            try (FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock ignored = ch.lock()) {
                List<T> before = list();
                List<T> items = new ArrayList<>(before);
                R result = change.apply(items);
                if (!items.equals(before)) {
                    ConfigFiles.replace(file, codec.encode(items));
                }
                return result;
            }
        }
    }
}
