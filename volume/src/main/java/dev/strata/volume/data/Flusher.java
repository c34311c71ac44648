package dev.strata.volume.data;

import dev.strata.volume.fault.CrashPoints;
import dev.strata.volume.state.SealRecord;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Makes sealed versions durable a little after they are sealed: flushes the chunk store (their packs
 * stored and indexed), then forgets their seals and deletes their overlays. Waiting a moment lets the
 * versions of many saved files share one pack; a seal is redone from its overlay if a crash comes
 * first. Thread-safe.
 */
final class Flusher implements AutoCloseable {
    private final DataContext ctx;
    private final Duration delay;
    private final Consumer<IOException> onFailure;
    private final ScheduledExecutorService thread;
    private boolean scheduled;

    Flusher(DataContext ctx, Duration delay, Consumer<IOException> onFailure) {
        this.ctx = ctx;
        this.delay = delay;
        this.onFailure = onFailure;
        ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1, r -> {
            Thread th = new Thread(r, "strata-volume-flush");
            th.setDaemon(true);
            return th;
        });
        // A flush still waiting for its delay at close is dropped, not waited for: the volume's close
        // flushes before it stops the flusher.
        t.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        this.thread = t;
    }

    /** A seal was recorded: flush within the delay, or now when much is waiting. */
    synchronized void sealed() {
        if (ctx.store().pendingReadableBytes() >= Rechunker.MAX_PENDING_PLAIN) {
            thread.execute(this::flushQuietly);
        } else if (!scheduled) {
            scheduled = true;
            thread.schedule(this::flushQuietly, delay.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void flushQuietly() {
        synchronized (this) {
            scheduled = false;
        }
        try {
            flushNow();
        } catch (IOException e) {
            onFailure.accept(e);
        }
    }

    /** Makes every version sealed so far durable before returning. */
    void flushNow() throws IOException {
        synchronized (ctx.overlays()) {
            List<SealRecord> seals = ctx.state().seals();
            ctx.store().flush();
            if (seals.isEmpty()) {
                return;
            }
            CrashPoints.reached(CrashPoints.FLUSH_STORED);
            ctx.state().sealsDurable(seals);
            ctx.state().commit();
            CrashPoints.reached(CrashPoints.FLUSH_DONE);
            for (SealRecord s : seals) {
                if (s.overlay() != 0) {
                    ctx.overlays().delete(s.overlay());
                }
            }
        }
    }

    @Override
    public void close() {
        thread.shutdown();
        try {
            thread.awaitTermination(1, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
