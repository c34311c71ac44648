package dev.strata.volume.data;

import dev.strata.core.tree.FileContent;
import dev.strata.core.tree.Timestamp;
import dev.strata.core.view.ReadSink;
import dev.strata.volume.fault.CrashPoints;
import dev.strata.volume.state.Extent;
import dev.strata.volume.state.Inode;
import dev.strata.volume.state.Staging;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The live state of one file while handles are open on it: its base content, what was written since
 * (an overlay file and its extents), its size and times. Reads take the lock shared, writes alone.
 * Thread-safe.
 */
final class OpenInode {
    final long ino;
    final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final DataContext ctx;
    private FileContent baseContent;
    private BaseReader base;
    private long baseValid;
    private final TreeMap<Long, Long> extents = new TreeMap<>();
    private long size;
    private Timestamp mtime;
    /** What was written since the last version; null until the first write. */
    private WrittenBytes written;
    private boolean dirty;
    /** When the open writable handles began (the first of them opened); null while there are none. */
    private volatile Instant writableSince;
    /** When an fsync last made a version of this file (guarded by the lock); null: never. */
    private Instant syncVersioned;
    /** Open handles, and those open for writing; guarded by the table of open files. */
    int handles;
    int writers;
    /** Releases of handles still at work (sealing); guarded by the table of open files. */
    int releasing;
    /** Of those, releases of handles open for writing; guarded by the table of open files. */
    int writerReleasing;

    OpenInode(DataContext ctx, Inode record) throws IOException {
        this.ino = record.ino();
        this.ctx = ctx;
        Staging s = record.staging();
        if (s == null) {
            reset(record.content(), record.size());
        } else {
            // Changes a crash interrupted, as of their last fsync.
            this.baseContent = s.base();
            this.base = ctx.baseReader(s.base());
            this.baseValid = s.baseValid();
            for (Extent e : s.extents()) {
                extents.put(e.start(), e.end());
            }
            this.written = s.overlay() == 0 ? null : WrittenBytes.ofOverlay(ctx, s.overlay());
            this.dirty = true;
        }
        this.size = record.size();
        this.mtime = record.mtime();
    }

    /**
     * Takes the content, size and time of {@code record}, which a peer's change gave the file while it
     * was open only for reading (nothing written here to keep). The caller holds the write lock.
     */
    void follow(Inode record) throws IOException {
        if (dirty || written != null || record.staging() != null) {
            return;
        }
        if (!record.content().equals(baseContent) || record.size() != size) {
            reset(record.content(), record.size());
        }
        this.mtime = record.mtime();
    }

    private void reset(FileContent content, long newSize) throws IOException {
        this.baseContent = content;
        this.base = ctx.baseReader(content);
        this.baseValid = content.size();
        this.extents.clear();
        this.size = newSize;
        this.written = null;
        this.dirty = false;
    }

    int read(long offset, int length, ReadSink sink) throws IOException {
        lock.readLock().lock();
        try {
            return image().read(offset, length, sink);
        } finally {
            lock.readLock().unlock();
        }
    }

    int write(long offset, byte[] src, int srcOffset, int length, Timestamp now) throws IOException {
        if (length == 0) {
            return 0;
        }
        lock.writeLock().lock();
        try {
            try {
                if (written == null) {
                    written = new WrittenBytes(ctx);
                }
                written.write(offset, src, srcOffset, length);
            } catch (IOException e) {
                // What reached the overlay is not in the written ranges: the file reads as before the write.
                throw DiskFull.translate(e, ctx.overlays().folder());
            }
            CrashPoints.reached(CrashPoints.WRITE);
            addExtent(offset, offset + length);
            size = Math.max(size, offset + length);
            changed(now);
            return length;
        } finally {
            lock.writeLock().unlock();
        }
    }

    /**
     * Sets the size to {@code newSize}; true if that cut into the content of the file's last version
     * (an O_TRUNC of a file that had content, say), which is then gone from the live file.
     */
    boolean truncate(long newSize, Timestamp now) throws IOException {
        lock.writeLock().lock();
        try {
            boolean cut = newSize < Math.min(baseValid, baseContent.size());
            if (newSize < size) {
                cutExtents(newSize);
                baseValid = Math.min(baseValid, newSize);
                if (written != null) {
                    written.truncate(newSize);
                }
            }
            size = newSize;
            changed(now);
            return cut;
        } finally {
            lock.writeLock().unlock();
        }
    }

    long size() {
        lock.readLock().lock();
        try {
            return size;
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * Bytes of the file that are data, as a local filesystem would allocate them while changes are
     * open: the base's data, and every 4 KiB page a write touched.
     */
    long dataBytes() {
        lock.readLock().lock();
        try {
            long written = 0;
            for (Map.Entry<Long, Long> e : extents.entrySet()) {
                long end = Math.min(e.getValue(), size);
                long start = Math.min(e.getKey(), end);
                written += end > start ? ((end + 4095) / 4096 - start / 4096) * 4096 : 0;
            }
            long pages = (size + 4095) / 4096 * 4096;
            return Math.min(pages, DataBytes.below(base.refs(), Math.min(baseValid, size)) + written);
        } finally {
            lock.readLock().unlock();
        }
    }

    Timestamp mtime() {
        lock.readLock().lock();
        try {
            return mtime;
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Sets the modification time a program gave (utimensat) while the file is open. */
    void setMtime(Timestamp t) {
        lock.writeLock().lock();
        try {
            mtime = t;
        } finally {
            lock.writeLock().unlock();
        }
    }

    boolean dirty() {
        lock.readLock().lock();
        try {
            return dirty;
        } finally {
            lock.readLock().unlock();
        }
    }

    /** The first writable handle of several, or again after none, was opened at {@code at}. */
    void writableFrom(Instant at) {
        writableSince = at;
    }

    /** No writable handle is open any more. */
    void notWritable() {
        writableSince = null;
    }

    /**
     * Whether an fsync at {@code now} makes a version: the file has been open for writing at least
     * {@code every}, and its last version made at an fsync is at least that old (caller holds the
     * write lock).
     */
    boolean syncVersionDue(Instant now, Duration every) {
        Instant since = writableSince;
        if (since == null) {
            return false;
        }
        Instant from = syncVersioned != null && syncVersioned.isAfter(since) ? syncVersioned : since;
        return Duration.between(from, now).compareTo(every) >= 0;
    }

    /** An fsync at {@code at} made a version of this file (caller holds the write lock). */
    void syncVersioned(Instant at) {
        syncVersioned = at;
    }

    /**
     * Whether the unsealed changes replace bytes of the last version, rather than only add to it
     * (appending, or filling a file that was empty): what makes a version an overwrite (caller holds
     * the write lock).
     */
    boolean overwritesBase() {
        long had = baseContent.size();
        if (had == 0) {
            return false;
        }
        return baseValid < had || size < had || (!extents.isEmpty() && extents.firstKey() < had);
    }

    /**
     * Makes the written bytes durable in the overlay file and returns the staging record that
     * describes them (caller holds the write lock).
     */
    Staging syncOverlay() throws IOException {
        if (written != null) {
            try {
                written.sync();
            } catch (IOException e) {
                throw DiskFull.translate(e, ctx.overlays().folder());
            }
        }
        return dirty ? staging() : null;
    }

    /** What a version sealed now is made of (caller holds the write lock). */
    Staging staging() {
        List<Extent> list = new ArrayList<>(extents.size());
        for (Map.Entry<Long, Long> e : extents.entrySet()) {
            list.add(new Extent(e.getKey(), e.getValue()));
        }
        return new Staging(overlay(), baseContent, Math.min(baseValid, baseContent.size()), list);
    }

    /**
     * The written bytes for a seal's record while they are in memory (up to the end of the last
     * written range); null when they are in the overlay file, or nothing was written (caller holds
     * the write lock).
     */
    byte[] inlineBytes() {
        if (written == null || extents.isEmpty()) {
            return null;
        }
        return written.inline(extents.lastEntry().getValue());
    }

    FileImage image() {
        return new FileImage(base, baseValid, extents, size, written);
    }

    BaseReader base() {
        return base;
    }

    long baseValid() {
        return baseValid;
    }

    NavigableMap<Long, Long> extents() {
        return extents;
    }

    /** After a seal: the sealed content is the new base, and writes go to a new overlay (caller holds the write lock). */
    void sealedAs(FileContent content) throws IOException {
        if (written != null) {
            written.close();
        }
        reset(content, size);
    }

    /** Drops the changes of a file removed while open; returns the overlay to delete (0: none). */
    long discard() throws IOException {
        lock.writeLock().lock();
        try {
            long ov = overlay();
            if (written != null) {
                written.close();
            }
            written = null;
            dirty = false;
            extents.clear();
            return ov;
        } finally {
            lock.writeLock().unlock();
        }
    }

    /**
     * Lets go of the written bytes' overlay file and memory, when no handle is left (the last close):
     * the file stays, as its number may be in the inode's staging record.
     */
    void closeChannel() throws IOException {
        if (written != null) {
            written.close();
        }
    }

    /** The overlay file's number; 0 while nothing was written or the bytes are in memory. */
    long overlay() {
        return written == null ? 0 : written.number();
    }

    private void changed(Timestamp now) {
        dirty = true;
        mtime = now;
    }

    private void addExtent(long start, long end) {
        long s = start;
        long e = end;
        Map.Entry<Long, Long> before = extents.floorEntry(s);
        if (before != null && before.getValue() >= s) {
            s = before.getKey();
            e = Math.max(e, before.getValue());
        }
        Map.Entry<Long, Long> next;
        while ((next = extents.ceilingEntry(s)) != null && next.getKey() <= e) {
            e = Math.max(e, next.getValue());
            extents.remove(next.getKey());
        }
        extents.put(s, e);
    }

    private void cutExtents(long newSize) {
        extents.tailMap(newSize, true).clear();
        Map.Entry<Long, Long> last = extents.lowerEntry(newSize);
        if (last != null && last.getValue() > newSize) {
            extents.put(last.getKey(), newSize);
        }
    }
}
