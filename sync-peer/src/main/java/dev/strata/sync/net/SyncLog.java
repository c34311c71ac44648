package dev.strata.sync.net;

import java.io.PrintStream;
import java.time.Clock;

/**
 * The sync process's log: one line per event, with the time, on a stream (standard error of
 * {@code strata sync run}). Thread-safe: lines never interleave.
 */
public final class SyncLog {
    private final PrintStream out;
    private final Clock clock;

    public SyncLog(PrintStream out, Clock clock) {
        this.out = out;
        this.clock = clock;
    }

    public void info(String message) {
        synchronized (out) {
            out.println(clock.instant() + " strata sync: " + message);
            out.flush();
        }
    }
}
