package dev.strata.cli.command;

import dev.strata.cli.CliContext;

import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Shows a long job's progress: a self-updating line on a terminal, JSON status lines with --json,
 * nothing otherwise. Thread-safe.
 */
final class ProgressDisplay implements AutoCloseable {
    /** A moment of progress; totals are -1 while unknown. */
    record Status(String verb, long files, long bytes, long totalFiles, long totalBytes) {
    }

    private final CliContext ctx;
    private final boolean json;
    private final Supplier<Status> source;
    private final ScheduledExecutorService timer;
    private final long startNanos = System.nanoTime();
    private int lastWidth;

    private ProgressDisplay(CliContext ctx, boolean json, Supplier<Status> source, long periodMillis) {
        this.ctx = ctx;
        this.json = json;
        this.source = source;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "strata-progress");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleAtFixedRate(this::tick, periodMillis, periodMillis, TimeUnit.MILLISECONDS);
    }

    /** Starts a display fitting the output options, or one that shows nothing. */
    static ProgressDisplay start(CliContext ctx, OutputArgs output, Supplier<Status> source) {
        if (output.quiet) {
            return null;
        }
        if (output.json) {
            return new ProgressDisplay(ctx, true, source, 2000);
        }
        if (ctx.terminal()) {
            return new ProgressDisplay(ctx, false, source, 250);
        }
        return null;
    }

    private synchronized void tick() {
        Status s = source.get();
        double seconds = Math.max(0.001, (System.nanoTime() - startNanos) / 1e9);
        double rate = s.bytes() / seconds;
        if (json) {
            var n = Json.MAPPER.createObjectNode();
            n.put("type", "status");
            n.put("secondsElapsed", (long) seconds);
            n.put("filesDone", s.files());
            n.put("bytesDone", s.bytes());
            if (s.totalBytes() >= 0) {
                n.put("totalFiles", s.totalFiles());
                n.put("totalBytes", s.totalBytes());
                n.put("percentDone", s.totalBytes() == 0 ? 1.0 : Math.min(1.0, (double) s.bytes() / s.totalBytes()));
            }
            ctx.out().println(n.toString());
            return;
        }
        StringBuilder line = new StringBuilder();
        line.append('[').append(clock(Duration.ofMillis((long) (seconds * 1000)))).append("] ");
        line.append(s.verb()).append(' ');
        line.append(String.format(Locale.ROOT, "%,d files, %s", s.files(), Sizes.human(s.bytes())));
        if (s.totalBytes() > 0) {
            double fraction = Math.min(1.0, (double) s.bytes() / s.totalBytes());
            line.append(String.format(Locale.ROOT, " of %s  %3.0f%% %s", Sizes.human(s.totalBytes()), fraction * 100, bar(fraction)));
            if (rate > 0 && fraction < 1.0) {
                line.append(" ETA ").append(clock(Duration.ofSeconds((long) ((s.totalBytes() - s.bytes()) / rate))));
            }
        }
        line.append("  ").append(Sizes.human((long) rate)).append("/s");
        int width = line.length();
        while (line.length() < lastWidth) {
            line.append(' ');
        }
        lastWidth = width;
        ctx.err().print("\r" + line);
        ctx.err().flush();
    }

    private static String bar(double fraction) {
        int width = 20;
        int full = (int) Math.round(fraction * width);
        return "[" + "=".repeat(full) + " ".repeat(width - full) + "]";
    }

    private static String clock(Duration d) {
        long s = d.getSeconds();
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }

    @Override
    public synchronized void close() {
        timer.shutdownNow();
        if (!json && lastWidth > 0) {
            ctx.err().print("\r" + " ".repeat(lastWidth) + "\r");
            ctx.err().flush();
        }
    }
}
