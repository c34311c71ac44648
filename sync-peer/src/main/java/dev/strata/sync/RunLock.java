package dev.strata.sync;

import dev.strata.core.error.ExitCode;
import dev.strata.core.error.UserFacingException;
import dev.strata.sync.config.ConfigFiles;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code sync/run.lock} in the state folder, locked while a sync process runs there: a second one is
 * refused (two would answer for one device), and {@code strata sync status} tells a running process
 * from one that died. The kernel drops the lock when the process ends, however it ends. Thread-safe.
 */
public final class RunLock implements AutoCloseable {
    /**
     * Lock files this process holds. Checked before opening one: closing any channel of a file drops
     * every POSIX lock the process has on it, so a probe from this process must not open it at all.
     */
    private static final Set<Path> HELD_HERE = ConcurrentHashMap.newKeySet();
    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;

    private RunLock(Path file, FileChannel channel, FileLock lock) {
        this.file = file;
        this.channel = channel;
        this.lock = lock;
    }

    /** Takes the lock, or fails naming the process that holds it. */
    public static RunLock acquire(Path syncStateFolder) throws IOException {
        ConfigFiles.ensureFolder(syncStateFolder);
        Path file = syncStateFolder.resolve("run.lock").toAbsolutePath().normalize();
        if (!HELD_HERE.add(file)) {
            throw new UserFacingException(ExitCode.LOCKED, "a 'strata sync run' is running already (in this process) with the state folder "
                    + syncStateFolder.getParent());
        }
        FileChannel ch;
        FileLock lock;
        try {
            ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            lock = ch.tryLock();
        } catch (IOException | RuntimeException e) {
            HELD_HERE.remove(file);
            throw e;
        }
        if (lock == null) {
            ch.close();
            HELD_HERE.remove(file);
            String holder = Files.readString(file, StandardCharsets.US_ASCII).strip();
            throw new UserFacingException(ExitCode.LOCKED, "a 'strata sync run' is running already" + (holder.isEmpty() ? "" : " (process "
                    + holder + ")") + " with the state folder " + syncStateFolder.getParent());
        }
        ch.truncate(0);
        ch.write(java.nio.ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)));
        ch.force(true);
        return new RunLock(file, ch, lock);
    }

    /** Whether some process (this one included) holds the lock now. */
    public static boolean isHeld(Path syncStateFolder) {
        Path file = syncStateFolder.resolve("run.lock").toAbsolutePath().normalize();
        if (HELD_HERE.contains(file)) {
            return true;
        }
        if (!Files.exists(file)) {
            return false;
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            FileLock probe = ch.tryLock();
            if (probe == null) {
                return true;
            }
            probe.release();
            return false;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void close() throws IOException {
        if (channel.isOpen()) {
            lock.release();
            channel.close();
            HELD_HERE.remove(file);
        }
    }
}
