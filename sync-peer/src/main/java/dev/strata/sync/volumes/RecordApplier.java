package dev.strata.sync.volumes;

import java.io.InterruptedIOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Applies the records messages one connection receives, in the order they came, on a thread of its
 * own: the connection's reader goes on reading (the next batch's chunks) while a batch's records are
 * written into the volume's state. At most {@link #WAITING} messages wait (the reader waits for room),
 * so memory stays bounded. The thread starts with the first message and ends with {@link #close}.
 * Thread-safe.
 */
final class RecordApplier implements AutoCloseable {
    /** Messages taken and not yet applied; a sender sends the next batch's chunks before its records. */
    static final int WAITING = 4;
    private static final Runnable STOP = () -> { };

    private final String name;
    private final BlockingQueue<Runnable> queue = new ArrayBlockingQueue<>(WAITING);
    private Thread thread;
    private volatile boolean closed;

    RecordApplier(String name) {
        this.name = name;
    }

    /** Runs {@code apply} after every message given before it; waits while {@link #WAITING} are waiting. */
    void submit(Runnable apply) throws InterruptedIOException {
        synchronized (this) {
            if (closed) {
                return;
            }
            if (thread == null) {
                thread = new Thread(this::run, name);
                thread.setDaemon(true);
                thread.start();
            }
        }
        try {
            queue.put(apply);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted waiting to apply records");
        }
    }

    private void run() {
        while (true) {
            Runnable next;
            try {
                next = queue.take();
            } catch (InterruptedException e) {
                return;
            }
            if (next == STOP || closed) {
                return;
            }
            next.run();
        }
    }

    /**
     * Drops what waits and ends the thread once the message being applied is done (not interrupted: an
     * interrupt would close the volume's open files under it). Idempotent.
     */
    @Override
    public void close() {
        synchronized (this) {
            closed = true;
            queue.clear();
            if (thread != null) {
                queue.offer(STOP);
            }
        }
    }
}
