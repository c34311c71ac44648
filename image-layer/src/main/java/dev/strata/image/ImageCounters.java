package dev.strata.image;

import java.util.concurrent.atomic.AtomicLong;

/** Progress of one image job, read by a progress display while the job runs. Thread-safe. */
public final class ImageCounters {
    /** Bytes of the device (or target) dealt with so far, skipped ones included. */
    public final AtomicLong bytesDone = new AtomicLong();
    /** Bytes in all, or -1 while unknown. */
    public final AtomicLong totalBytes = new AtomicLong(-1);
    /** Bytes actually read from the source (or written to the target). */
    public final AtomicLong bytesTransferred = new AtomicLong();
    /** What the job is doing now ("image", "restore", "verify"). */
    public volatile String phase = "image";
}
