package dev.strata.core.index;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Remembers, beside an index cache's data file, that the file as it stands was found sound, so that
 * the next open need not walk it again ({@link IndexCache}): the walk reads every page, most of a
 * second for a file of a million entries, for every command.
 *
 * <p>The mark names the file's state: its inode, size and change time, and the transaction of its
 * newest meta page. A process writes it after a walk found the file sound, or when it closes a cache
 * that it opened sound: what LMDB committed since is LMDB's own writing (a commit writes its pages
 * before the meta page that makes them reachable, and never over the pages of the newest commit).
 * Anything else that writes to the file (a copy, a truncation, a tool) changes its change time, which
 * no program can set back, and a commit by another process changes the newest transaction: either
 * makes the mark stale and the file is walked. Damage below the filesystem (a failing disk) keeps the
 * stat of the file; it is what the walk of a file not written since cannot see, as the files above the
 * walk's size limit are not walked at all. Stateless.
 */
final class CheckedMark {
    static final String SUFFIX = ".checked";
    /**
     * A change time is taken from a clock that may advance in ticks of some milliseconds: a mark is
     * written only once the file's change time is this much in the past, so that any later write to
     * the file gives it another change time.
     */
    static final long SETTLE_MILLIS = 50;

    private CheckedMark() {
    }

    /** The file's state as a mark records it, or null when the file cannot be read. */
    private record State(long inode, long size, long changeNanos, long txn) {
        String line() {
            return inode + " " + size + " " + changeNanos + " " + txn + "\n";
        }
    }

    /** Whether the mark beside {@code data} names the file as it is now, whose newest meta page has transaction {@code txn}. */
    static boolean matches(Path data, long txn) {
        try {
            String recorded = Files.readString(mark(data), StandardCharsets.US_ASCII);
            State now = state(data, txn);
            return now != null && recorded.equals(now.line());
        } catch (NoSuchFileException e) {
            return false;
        } catch (IOException | RuntimeException e) {
            return false; // an unreadable or garbled mark is no mark: the file is walked
        }
    }

    /**
     * Records that {@code data}, whose newest meta page has transaction {@code txn}, is sound: waits
     * until its change time has settled, and records nothing if the file changed meanwhile.
     */
    static void record(Path data, long txn) throws IOException {
        State before = state(data, txn);
        if (before == null) {
            return;
        }
        long age = System.currentTimeMillis() - TimeUnit.NANOSECONDS.toMillis(before.changeNanos());
        if (age < SETTLE_MILLIS) {
            try {
                Thread.sleep(SETTLE_MILLIS - Math.max(0, age));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        State after = state(data, txn);
        if (!before.equals(after)) {
            return; // written meanwhile (another process): the next open walks it
        }
        Path mark = mark(data);
        Path temporary = mark.resolveSibling(mark.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
        Files.writeString(temporary, before.line(), StandardCharsets.US_ASCII);
        Files.move(temporary, mark, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Drops the mark beside {@code data}, if there is one. */
    static void forget(Path data) throws IOException {
        Files.deleteIfExists(mark(data));
    }

    static Path mark(Path data) {
        return data.resolveSibling(data.getFileName() + SUFFIX);
    }

    private static State state(Path data, long txn) throws IOException {
        Map<String, Object> a;
        try {
            a = Files.readAttributes(data, "unix:ino,size,ctime");
        } catch (NoSuchFileException e) {
            return null;
        }
        return new State((Long) a.get("ino"), (Long) a.get("size"), ((FileTime) a.get("ctime")).to(TimeUnit.NANOSECONDS), txn);
    }
}
