package dev.strata.cli.command;

import sun.misc.Signal;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Makes Ctrl-C (SIGINT) and SIGTERM ask a foreground command to stop, instead of ending the JVM at
 * once, so that it can close what it holds (connections, the repository) and exit normally.
 */
final class StopSignals {
    private final CountDownLatch stop = new CountDownLatch(1);

    private StopSignals() {
    }

    static StopSignals install() {
        StopSignals s = new StopSignals();
        for (String name : new String[]{"INT", "TERM"}) {
            try {
                Signal.handle(new Signal(name), sig -> s.stop.countDown());
            } catch (IllegalArgumentException unavailable) {
                // The JVM reserves it (e.g. -Xrs): the signal then ends the JVM as usual.
            }
        }
        return s;
    }

    /** Waits up to {@code d} for a stop; true once one was asked for. */
    boolean await(Duration d) throws InterruptedException {
        return stop.await(d.toMillis(), TimeUnit.MILLISECONDS);
    }
}
