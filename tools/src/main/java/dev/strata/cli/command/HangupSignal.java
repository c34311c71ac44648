package dev.strata.cli.command;

import sun.misc.Signal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Semaphore;

/**
 * Hands SIGHUP to an action (the daemon's reload) on a thread of its own, one run at a time: signals
 * that arrive during a run make one more run after it, not one each. Thread-safe.
 */
final class HangupSignal {
    private HangupSignal() {
    }

    /**
     * Installs the handler; false if it cannot take SIGHUP: the JVM keeps it to itself (-Xrs), or the
     * process was started with SIGHUP ignored (under {@code nohup}, say), in which case the JVM quietly
     * installs no handler and the signal stays ignored.
     */
    static boolean install(Runnable action) {
        if (ignoredAtStart()) {
            return false;
        }
        Semaphore pending = new Semaphore(0);
        try {
            Signal.handle(new Signal("HUP"), sig -> {
                if (pending.availablePermits() == 0) {
                    pending.release();
                }
            });
        } catch (IllegalArgumentException unavailable) {
            return false;
        }
        Thread t = new Thread(() -> {
            while (true) {
                try {
                    pending.acquire();
                } catch (InterruptedException e) {
                    return;
                }
                pending.drainPermits();
                action.run();
            }
        }, "strata-reload");
        t.setDaemon(true);
        t.start();
        return true;
    }

    /** Whether SIGHUP is ignored in this process (bit 0 of {@code SigIgn} in /proc/self/status). */
    static boolean ignoredAtStart() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("SigIgn:")) {
                    return (Long.parseUnsignedLong(line.substring(7).strip(), 16) & 1L) != 0;
                }
            }
        } catch (IOException | RuntimeException e) {
            // No /proc: assume the usual, a signal not ignored.
        }
        return false;
    }
}
