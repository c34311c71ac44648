package dev.strata.snapshot.backup;

import java.util.concurrent.atomic.AtomicLong;

/** Running totals of a backup, read by the progress display and the summary. Thread-safe. */
public final class BackupCounters {
    final AtomicLong filesNew = new AtomicLong();
    final AtomicLong filesChanged = new AtomicLong();
    final AtomicLong filesUnchanged = new AtomicLong();
    final AtomicLong dirsNew = new AtomicLong();
    final AtomicLong dirsChanged = new AtomicLong();
    final AtomicLong dirsUnchanged = new AtomicLong();
    final AtomicLong bytesRead = new AtomicLong();
    final AtomicLong filesDone = new AtomicLong();
    final AtomicLong bytesDone = new AtomicLong();
    /** Bytes read so far of files not finished yet (large files being chunked). */
    final AtomicLong bytesInProgress = new AtomicLong();
    final AtomicLong changedWhileRead = new AtomicLong();
    final AtomicLong filesOpened = new AtomicLong();

    public long filesDone() {
        return filesDone.get();
    }

    /** Bytes of files handled so far, whether read or skipped as unchanged, and of files being read. */
    public long bytesDone() {
        return bytesDone.get() + bytesInProgress.get();
    }

    /** Bytes actually read from the source. */
    public long bytesRead() {
        return bytesRead.get();
    }

    /** Regular files opened for reading (unchanged files are not). */
    public long filesOpened() {
        return filesOpened.get();
    }

    public long filesNew() {
        return filesNew.get();
    }

    public long filesChanged() {
        return filesChanged.get();
    }

    public long filesUnchanged() {
        return filesUnchanged.get();
    }
}
