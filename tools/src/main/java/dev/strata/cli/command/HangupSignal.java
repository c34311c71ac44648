package dev.strata.cli.command;

import sun.misc.Signal;

import java.util.concurrent.Semaphore;

/**
 * Hands SIGHUP to an action (the daemon's reload) on a thread of its own, one run at a time: signals
 * that arrive during a run make one more run after it, not one each. Thread-safe.
 */
final class HangupSignal {
    private HangupSignal() {
    }

    /** Installs the handler; false if the JVM keeps SIGHUP to itself (-Xrs), which then ends it as usual. */
    static boolean install(Runnable action) {
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
}
