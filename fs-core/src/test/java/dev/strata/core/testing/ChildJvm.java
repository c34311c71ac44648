package dev.strata.core.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A second JVM running a main class from the test classpath, for tests that need another process
 * (two processes on one LMDB environment, a writer killed with SIGKILL). Its stdout is read line by
 * line in the background; its stderr goes to a file for failure messages. {@link #close()} kills it
 * if it still runs, so use it in try-with-resources. Thread-safe.
 */
public final class ChildJvm implements AutoCloseable {
    private static final String EOF = new String("<eof>");

    private final Process process;
    private final Path stderr;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final List<String> allLines = new ArrayList<>();

    private ChildJvm(Process process, Path stderr) {
        this.process = process;
        this.stderr = stderr;
        Thread reader = new Thread(this::pump, "child-jvm-stdout-" + process.pid());
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Starts {@code mainClass} with {@code args} in a JVM like this one: same java binary, same
     * classpath, the add-opens LMDB needs, a small heap. {@code workDir} receives its stderr log.
     */
    public static ChildJvm start(Class<?> mainClass, Path workDir, String... args) throws IOException {
        return start(List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"), mainClass, workDir, args);
    }

    /**
     * As {@link #start(Class, Path, String...)} with the given heap and collector options. A JVM
     * crash report goes to {@code workDir}, never into the current folder.
     */
    public static ChildJvm start(List<String> jvmOptions, Class<?> mainClass, Path workDir, String... args)
            throws IOException {
        return start(jvmOptions, java.util.Map.of(), mainClass, workDir, args);
    }

    /** As {@link #start(List, Class, Path, String...)} with {@code env} added to this process's environment. */
    public static ChildJvm start(List<String> jvmOptions, java.util.Map<String, String> env, Class<?> mainClass,
                                 Path workDir, String... args) throws IOException {
        String java = ProcessHandle.current().info().command().orElse(
                Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> command = new ArrayList<>(List.of(java,
                "--add-opens", "java.base/java.nio=ALL-UNNAMED",
                "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
                "--add-opens", "java.base/sun.nio.fs=ALL-UNNAMED",
                "-XX:ErrorFile=" + workDir.toAbsolutePath().resolve("hs_err_pid%p.log")));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass.getName()));
        command.addAll(List.of(args));
        Files.createDirectories(workDir);
        Path err = Files.createTempFile(workDir, "child-", ".stderr");
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.PIPE);
        builder.environment().putAll(env);
        Process p = builder.start();
        return new ChildJvm(p, err);
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** The next line the child printed, or null when it closed stdout (exited) or nothing came in time. */
    public String nextLine(Duration timeout) throws InterruptedException {
        String line = lines.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (line == EOF) {
            lines.add(EOF);
            return null;
        }
        return line;
    }

    /** Kills the child with SIGKILL (Process.destroyForcibly on Linux) and returns its exit value. */
    public int kill(Duration timeout) throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("child " + pid() + " survived SIGKILL for " + timeout);
        }
        return process.exitValue();
    }

    /** Waits for the child to exit on its own; kills it and fails if it takes longer than {@code timeout}. */
    public int waitFor(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("child " + pid() + " did not finish within " + timeout + "; " + stderr());
        }
        return process.exitValue();
    }

    /**
     * Every stdout line, after the child has exited and its stdout is drained. Lines still in the
     * pipe when the child died are included: they were printed, so they count.
     */
    public List<String> allLines(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            String line = lines.poll(Math.max(1, (deadline - System.nanoTime()) / 1_000_000), TimeUnit.MILLISECONDS);
            if (line == null) {
                throw new IllegalStateException("stdout of child " + pid() + " not closed within " + timeout);
            }
            if (line == EOF) {
                lines.add(EOF);
                synchronized (allLines) {
                    return new ArrayList<>(allLines);
                }
            }
        }
    }

    /** What the child wrote to stderr so far, for failure messages. */
    public String stderr() {
        try {
            return Files.readString(stderr);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void pump() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                synchronized (allLines) {
                    allLines.add(line);
                }
                lines.add(line);
            }
        } catch (IOException closed) {
            // The child is gone; what was read is kept.
        } finally {
            lines.add(EOF);
        }
    }

    /** Kills the child if it still runs and waits a little for it to go. */
    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
