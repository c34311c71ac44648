package dev.strata.cli;

import dev.strata.core.crypto.KdfParams;
import dev.strata.core.repo.HostIdentity;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Random;

/**
 * The run the launcher records its class-data-sharing archives from: in a folder of its own, the
 * commands people run most (init, backup, a backup with nothing changed, snapshots, ls, restore,
 * check) on a small tree in a local repository, and with {@code --with-s3} most of them again in an
 * S3 one served on loopback (the archive S3 commands map), so that the archive holds the classes
 * those commands load and every later command starts with them mapped instead of loaded and
 * verified. Touches nothing outside that folder but a port of 127.0.0.1 while an S3 part runs, and
 * prints nothing; exits 0 even if a command fails, since the classes it loaded are still worth
 * archiving. Confined to one thread.
 */
public final class ClassArchiveTraining {
    /** Cheap on purpose: the archive needs the key derivation's classes, not its cost. */
    private static final KdfParams CHEAP_KDF = new KdfParams(64, 1, 1);
    /** Some ten times what the S3 part takes on a loaded machine. */
    private static final Duration S3_PART_LIMIT = Duration.ofMinutes(2);

    private ClassArchiveTraining() {
    }

    public static void main(String[] args) throws IOException {
        boolean withS3 = args.length == 2 && args[1].equals("--with-s3");
        if (args.length != 1 && !withS3) {
            System.err.println("usage: ClassArchiveTraining EMPTY-WORK-DIR [--with-s3]");
            System.exit(2);
        }
        run(Path.of(args[0]), withS3);
    }

    /**
     * Runs the commands in {@code work} on a local repository and, {@code withS3}, then on one in a
     * bucket of a {@link TrainingS3Responder}; returns how many of them failed. The S3 part comes
     * second, so that whatever befalls it the local commands' classes are loaded already.
     */
    static int run(Path work, boolean withS3) throws IOException {
        Path data = tree(Files.createDirectories(work.resolve("data")));
        return runLocal(work, data) + (withS3 ? runS3(work, data) : 0);
    }

    private static int runLocal(Path work, Path data) {
        Map<String, String> env = Map.of(
                "STRATA_REPO", work.resolve("repo").toString(),
                "STRATA_CACHE_DIR", work.resolve("cache").toString(),
                "STRATA_PASSWORD", "class-archive-training",
                "HOME", work.toString());
        return runAll(env, new String[][] {
                {"init"},
                {"backup", "--json", data.toString()},
                {"backup", data.toString()},
                {"snapshots"},
                {"--json", "snapshots"},
                {"ls", "latest:" + data},
                {"restore", "latest:" + data, "-t", work.resolve("restored").toString()},
                {"check"},
        });
    }

    /**
     * The commands an S3 repository is used with most, against a responder on 127.0.0.1 that lives
     * only as long as they run. The AWS SDK and its HTTP client are most of the classes such a command
     * loads (about 2,400), and the SDK's credentials and profile lookups read only this environment and
     * the training's own folder. Returns how many failed, counting a responder that would not start as one.
     */
    static int runS3(Path work, Path data) {
        return runS3(work, data, S3_PART_LIMIT);
    }

    /** As {@link #runS3(Path, Path)}, with the responder stopped after {@code limit} if the commands are not done. */
    static int runS3(Path work, Path data, Duration limit) {
        try (TrainingS3Responder s3 = TrainingS3Responder.start("training");
             StopAfter stop = new StopAfter(limit, s3)) {
            Map<String, String> env = Map.of(
                    "STRATA_REPO", "s3:" + s3.repositoryUrl(),
                    "STRATA_CACHE_DIR", work.resolve("s3-cache").toString(),
                    "STRATA_PASSWORD", "class-archive-training",
                    "AWS_ACCESS_KEY_ID", "class-archive-training",
                    "AWS_SECRET_ACCESS_KEY", "class-archive-training",
                    // A refused request is a failure to count, not one to wait out with backoff.
                    "STRATA_S3_RETRIES", "0",
                    "HOME", work.toString());
            return runAll(env, new String[][] {
                    {"init"},
                    {"backup", data.toString()},
                    {"backup", data.toString()},
                    {"snapshots"},
                    {"restore", "latest:" + data, "-t", work.resolve("s3-restored").toString()},
            });
        } catch (IOException | RuntimeException e) {
            return 1;
        }
    }

    /**
     * Closes the responder once the S3 part has run for longer than it ever should, so that the commands
     * still running fail at once instead of waiting out the client's timeouts: the launcher waits for
     * the training before the first command it was asked to run.
     */
    private static final class StopAfter implements AutoCloseable {
        private final Thread timer;

        StopAfter(Duration limit, TrainingS3Responder responder) {
            timer = new Thread(() -> {
                try {
                    Thread.sleep(limit.toMillis());
                    responder.close();
                } catch (InterruptedException finished) {
                    // The S3 part ended in time.
                }
            }, "strata-training-s3-limit");
            timer.setDaemon(true);
            timer.start();
        }

        @Override
        public void close() {
            timer.interrupt();
        }
    }

    private static int runAll(Map<String, String> env, String[][] commands) {
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);
        CliContext ctx = new CliContext(env, new ByteArrayInputStream(new byte[0]), quiet, quiet,
                PasswordPrompt.none(), false, Clock.systemUTC(), HostIdentity.current(), CHEAP_KDF);
        int failed = 0;
        for (String[] command : commands) {
            if (Cli.run(command, ctx) != 0) {
                failed++;
            }
        }
        return failed;
    }

    /** A few files of the kinds a backup meets: text, a compressible file of several chunks, random bytes, a link. */
    private static Path tree(Path data) throws IOException {
        Random random = new Random(1);
        Path sub = Files.createDirectories(data.resolve("sub"));
        for (int i = 0; i < 20; i++) {
            Files.writeString(sub.resolve("note-" + i + ".txt"), ("line " + i + " of a small text file\n").repeat(i + 1));
        }
        StringBuilder log = new StringBuilder();
        while (log.length() < 3_000_000) {
            log.append("2026-01-01T00:00:").append(random.nextInt(60)).append(" event ").append(random.nextInt(1000)).append('\n');
        }
        Files.writeString(data.resolve("big.log"), log);
        byte[] noise = new byte[600_000];
        random.nextBytes(noise);
        Files.write(data.resolve("noise.bin"), noise);
        Files.createSymbolicLink(data.resolve("link"), Path.of("sub/note-1.txt"));
        return data;
    }
}
