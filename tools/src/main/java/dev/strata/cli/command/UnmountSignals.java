package dev.strata.cli.command;

import dev.strata.fuse.Unmounter;
import sun.misc.Signal;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Makes Ctrl-C (SIGINT) and SIGTERM unmount a foreground mount instead of ending the JVM at once:
 * the request loops then finish, the repository is released, and the command exits normally.
 * Remembers when the stop was asked for, so a mount kept busy does not keep the process alive.
 * Installed before the mount comes up: a stop asked for while it comes up unmounts it as soon as it
 * is up (else the JVM's default would end the process with the mount half set up).
 */
final class UnmountSignals {
    private final AtomicLong requestedAt = new AtomicLong();
    private final Path mountpoint;
    private final PrintStream err;
    private volatile boolean up;

    private UnmountSignals(Path mountpoint, PrintStream err) {
        this.mountpoint = mountpoint;
        this.err = err;
    }

    static UnmountSignals install(Path mountpoint, PrintStream err) {
        UnmountSignals signals = new UnmountSignals(mountpoint, err);
        for (String name : new String[]{"INT", "TERM"}) {
            try {
                Signal.handle(new Signal(name), s -> signals.stopAsked());
            } catch (IllegalArgumentException unavailable) {
                // The JVM reserves it (e.g. -Xrs); the shutdown hook still unmounts.
            }
        }
        return signals;
    }

    /** Whether a stop was asked for more than {@code graceNanos} ago. */
    boolean overdue(long graceNanos) {
        long t = requestedAt.get();
        return t != 0 && System.nanoTime() - t > graceNanos;
    }

    /** The mount is up: from now a signal unmounts it, and one that came before does so now. */
    void mounted() {
        up = true;
        if (requestedAt.get() != 0) {
            unmount();
        }
    }

    private void stopAsked() {
        requestedAt.compareAndSet(0, System.nanoTime());
        if (up) {
            unmount();
        }
    }

    private void unmount() {
        Thread t = new Thread(() -> {
            try {
                Unmounter.unmount(mountpoint);
            } catch (IOException e) {
                err.println("strata: " + e.getMessage());
            }
        }, "strata-unmount-signal");
        t.setDaemon(true);
        t.start();
    }
}
