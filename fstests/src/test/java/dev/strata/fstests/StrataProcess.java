package dev.strata.fstests;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * One {@code strata} command running in a child JVM, as a person runs it from a second terminal;
 * its output (stdout and stderr) goes to a log file. Closing kills it if it still runs. Confined to
 * one test thread.
 */
final class StrataProcess implements AutoCloseable {
    private final Process process;
    private final Path log;

    private StrataProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    static StrataProcess start(Strata strata, Path log, String... args) throws IOException {
        return start(strata, log, ProcessBuilder.Redirect.from(new java.io.File("/dev/null")), args);
    }

    /** Starts with standard input on a pipe that {@link #stdin()} writes to. */
    static StrataProcess startWithInput(Strata strata, Path log, String... args) throws IOException {
        return start(strata, log, ProcessBuilder.Redirect.PIPE, args);
    }

    private static StrataProcess start(Strata strata, Path log, ProcessBuilder.Redirect in, String... args)
            throws IOException {
        ProcessBuilder pb = new ProcessBuilder(Strata.javaCommand(args)).redirectErrorStream(true)
                .redirectOutput(log.toFile()).redirectInput(in);
        pb.environment().putAll(strata.env());
        return new StrataProcess(pb.start(), log);
    }

    OutputStream stdin() {
        return process.getOutputStream();
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Waits for the command to end; its exit code. Fails (and kills it) if it takes longer than {@code timeout}. */
    int waitFor(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("strata did not finish within " + timeout + ":\n" + output());
        }
        return process.exitValue();
    }

    String output() {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }
}
