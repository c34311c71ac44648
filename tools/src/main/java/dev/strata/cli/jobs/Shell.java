package dev.strata.cli.jobs;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Runs the shell commands of a configuration file ({@code before}, {@code after}, a password
 * command, a stdin command) with {@code sh -c}, keeping the end of what they print. Stateless.
 */
final class Shell {
    /** What a command printed is kept up to this much, the end of it (the error is usually last). */
    private static final int KEEP = 16 * 1024;

    private Shell() {
    }

    /** A finished command: its exit code, its output, and the last line it wrote to stderr. */
    record Result(int exitCode, String stdout, String lastErrorLine) {
        String describe(String what) {
            return what + " exited with " + exitCode + (lastErrorLine == null ? "" : ": " + lastErrorLine);
        }
    }

    static Result run(String command, Map<String, String> env, Path dir) throws IOException, InterruptedException {
        Process p = start(command, env, dir);
        p.getOutputStream().close();
        Tail err = Tail.of(p.getErrorStream());
        byte[] out = p.getInputStream().readNBytes(KEEP);
        p.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
        int code = p.waitFor();
        return new Result(code, new String(out, StandardCharsets.UTF_8), err.lastLine());
    }

    /** Starts a command whose stdout the caller reads; its stderr is kept as a {@link Tail}. */
    static Process start(String command, Map<String, String> env, Path dir) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(List.of("sh", "-c", command));
        pb.environment().putAll(env);
        // A job's own password never reaches the commands it runs.
        pb.environment().remove("STRATA_PASSWORD");
        if (dir != null) {
            pb.directory(dir.toFile());
        }
        return pb.start();
    }

    /** The end of a stream, read by a thread of its own so the process never blocks on a full pipe. Thread-safe. */
    static final class Tail {
        private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
        private final Thread reader;

        private Tail(InputStream in) {
            reader = new Thread(() -> {
                byte[] buf = new byte[4096];
                try (in) {
                    for (int n; (n = in.read(buf)) >= 0; ) {
                        synchronized (kept) {
                            kept.write(buf, 0, n);
                            if (kept.size() > 2 * KEEP) {
                                byte[] all = kept.toByteArray();
                                kept.reset();
                                kept.write(all, all.length - KEEP, KEEP);
                            }
                        }
                    }
                } catch (IOException e) {
                    // The process ended; what was read is kept.
                }
            }, "strata-shell-stderr");
            reader.setDaemon(true);
            reader.start();
        }

        static Tail of(InputStream in) {
            return new Tail(in);
        }

        /** The last non-empty line, once the stream ended (or after a short wait), or null. */
        String lastLine() throws InterruptedException {
            reader.join(5_000);
            String text;
            synchronized (kept) {
                text = kept.toString(StandardCharsets.UTF_8);
            }
            String[] lines = text.strip().split("\n");
            String last = lines[lines.length - 1].strip();
            return last.isEmpty() ? null : last;
        }
    }
}
