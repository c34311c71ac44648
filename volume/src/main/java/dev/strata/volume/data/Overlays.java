package dev.strata.volume.data;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The volume's staging folder: one sparse overlay file per file with unsealed changes that are not
 * kept in memory ({@link WrittenBytes}), named by its number, holding the written bytes at their
 * offsets; and the budget of memory those kept in memory may take together. Overlays no longer needed are emptied and kept
 * as spares ({@code spare-N}) for new ones, up to {@link #SPARES}: saving many small files would
 * otherwise create and delete a file for each, and creating files next to many just deleted costs
 * the file system a search of its inode table each time (ext4 without a journal). Thread-safe.
 */
final class Overlays {
    /** Empty files kept for reuse; at most this many (a few bytes of metadata each). */
    static final int SPARES = 1024;
    private static final String SPARE_PREFIX = "spare-";

    /** Memory the written bytes of all open files may take together (at most 128 files at their limit). */
    static final long MEMORY_BUDGET = 32L << 20;
    /**
     * Free space the staging folder's disk (the state's) must have for a file's written bytes to be
     * kept in memory: their seal's record takes that much of it later, and while the disk is nearly
     * full a write must fail with ENOSPC, as a local disk's does, rather than use up the room the
     * state keeps for its commits.
     */
    static final long MEMORY_DISK_MARGIN = 64L << 20;

    private final Path folder;
    private final java.nio.file.FileStore disk;
    private final java.util.concurrent.atomic.AtomicLong memoryLeft = new java.util.concurrent.atomic.AtomicLong(MEMORY_BUDGET);
    private final ArrayDeque<Path> spares = new ArrayDeque<>();
    private long spareNames;

    Overlays(Path folder) throws IOException {
        this.folder = Files.createDirectories(folder);
        this.disk = Files.getFileStore(this.folder);
    }

    /** Whether the staging folder's disk has room for written bytes to be kept in memory ({@link #MEMORY_DISK_MARGIN}). */
    boolean roomForMemory() {
        try {
            return disk.getUsableSpace() >= MEMORY_DISK_MARGIN;
        } catch (IOException e) {
            return false;
        }
    }

    Path folder() {
        return folder;
    }

    /** Takes {@code bytes} of the memory budget; false (nothing taken) when there is not that much left. */
    boolean takeMemory(long bytes) {
        while (true) {
            long left = memoryLeft.get();
            if (left < bytes) {
                return false;
            }
            if (memoryLeft.compareAndSet(left, left - bytes)) {
                return true;
            }
        }
    }

    /** Gives back what {@link #takeMemory} took. */
    void giveMemory(long bytes) {
        memoryLeft.addAndGet(bytes);
    }

    /** Memory of the budget in use now. */
    long memoryInUse() {
        return MEMORY_BUDGET - memoryLeft.get();
    }

    Path path(long overlay) {
        return folder.resolve(Long.toString(overlay));
    }

    /** Opens the overlay of a staging record (it may be missing: then it starts empty). */
    FileChannel openForWriting(long overlay) throws IOException {
        return FileChannel.open(path(overlay), StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
    }

    /** Creates the empty overlay of a number never used before: a spare renamed when there is one. */
    FileChannel create(long overlay) throws IOException {
        Path p = path(overlay);
        Path spare;
        synchronized (spares) {
            spare = spares.pollFirst();
        }
        if (spare != null) {
            try {
                Files.move(spare, p, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                Files.deleteIfExists(spare);
            }
        }
        return FileChannel.open(p, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
    }

    /** Opens an overlay to read it again (recovery); a missing file reads as an empty one. */
    FileChannel openForReading(long overlay) throws IOException {
        Path p = path(overlay);
        if (!Files.exists(p)) {
            return null;
        }
        return FileChannel.open(p, StandardOpenOption.READ);
    }

    /** Removes an overlay: emptied and kept as a spare while there are few, else deleted. */
    void delete(long overlay) throws IOException {
        Path p = path(overlay);
        Path spare;
        synchronized (spares) {
            spare = spares.size() < SPARES ? folder.resolve(SPARE_PREFIX + spareNames++) : null;
        }
        if (spare == null) {
            Files.deleteIfExists(p);
            return;
        }
        // Emptied before it is renamed: a spare never holds a file's bytes, even after a crash.
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.WRITE)) {
            ch.truncate(0);
        } catch (NoSuchFileException gone) {
            return;
        }
        Files.move(p, spare, StandardCopyOption.ATOMIC_MOVE);
        synchronized (spares) {
            spares.addLast(spare);
        }
    }

    /** Deletes the spares (at close: the next open starts without them). */
    void deleteSpares() throws IOException {
        List<Path> all;
        synchronized (spares) {
            all = new ArrayList<>(spares);
            spares.clear();
        }
        for (Path f : all) {
            Files.deleteIfExists(f);
        }
    }

    /** Makes the creation of overlay files durable (their names are in the folder). */
    void syncFolder() throws IOException {
        try (FileChannel dir = FileChannel.open(folder, StandardOpenOption.READ)) {
            dir.force(true);
        }
    }

    /**
     * Deletes every overlay not in {@code keep} (left by a crash) and every spare; returns how many
     * overlays and other files went (spares are not counted: a clean stop leaves none, a crash some).
     */
    int deleteAllBut(Set<Long> keep) throws IOException {
        Set<Path> gone = new HashSet<>();
        deleteSpares();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(folder)) {
            for (Path f : files) {
                String name = f.getFileName().toString();
                if (name.startsWith(SPARE_PREFIX)) {
                    Files.deleteIfExists(f);
                    continue;
                }
                try {
                    if (!keep.contains(Long.parseLong(name))) {
                        gone.add(f);
                    }
                } catch (NumberFormatException notOurs) {
                    gone.add(f);
                }
            }
        }
        for (Path f : gone) {
            Files.deleteIfExists(f);
        }
        return gone.size();
    }
}
