package dev.strata.cli.command;

import java.util.List;

import dev.strata.cli.Cli;
import dev.strata.cli.CliContext;
import dev.strata.core.backend.BlobName;
import dev.strata.core.backend.Backend;
import dev.strata.core.error.ExitCode;
import dev.strata.core.error.UserFacingException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;

/**
 * {@code strata demo}: the quick start. Creates the repository if there is none, backs up a sample
 * folder, changes it, backs it up again and shows the history; then a live volume, whose every save
 * is a version.
 */
@Command(name = "demo", description = "Show Strata at work: back up a sample folder, change it, back it up again, show the history,"
        + " then save a file twice in a live volume and show both versions.")
final class DemoCommand implements Callable<Integer> {
    /** The demo's live volume. */
    private static final String VOLUME = "demo";
    private final CliContext ctx;
    @Mixin
    RepoArgs repo;

    @Option(names = "--dir", paramLabel = "DIR", description = "Where to create the sample folder (default: ~/strata-demo).")
    Path dir;

    DemoCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() throws Exception {
        Path home = Path.of(ctx.env().getOrDefault("HOME", System.getProperty("user.home")));
        Path base = (dir != null ? dir : home.resolve("strata-demo")).toAbsolutePath();
        Path docs = base.resolve("documents");
        String location = RepositoryAccess.location(ctx, repo);

        char[] password;
        boolean exists;
        try (Backend backend = RepositoryAccess.backend(ctx, repo)) {
            exists = backend.exists(BlobName.CONFIG);
        }
        password = exists ? Passwords.existing(ctx, repo.passwordFile)
                : Passwords.fresh(ctx, repo.passwordFile, true, "password for the new repository");
        Map<String, String> env = new HashMap<>(ctx.env());
        env.put("STRATA_PASSWORD", new String(password));
        env.remove("STRATA_PASSWORD_FILE");
        env.put("STRATA_REPO", location);
        if (repo.s3Ca != null) {
            env.put("STRATA_S3_CA", repo.s3Ca.toAbsolutePath().toString());
        }
        if (repo.s3Region != null) {
            env.put("STRATA_S3_REGION", repo.s3Region);
        }
        if (repo.s3Addressing != null) {
            env.put("STRATA_S3_ADDRESSING", repo.s3Addressing);
        }
        if (repo.cacheDir != null) {
            env.put("STRATA_CACHE_DIR", repo.cacheDir.toString());
        }
        CliContext inner = ctx.withEnv(env);

        step("Strata keeps every version of your files in one deduplicated, compressed, encrypted repository.");
        if (!exists) {
            step("Creating the repository at " + location);
            run(inner, "init");
        } else {
            step("Using the repository at " + location);
        }

        step("Creating a sample folder: " + docs);
        createSample(docs);
        step("First backup: everything is new");
        run(inner, "backup", docs.toString());

        step("Changing the folder: editing notes.txt, adding todo.txt, deleting old-draft.txt");
        Files.writeString(docs.resolve("notes.txt"), "Meeting notes\n- backups are versioned\n- restore by copying\n",
                StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.APPEND);
        Files.writeString(docs.resolve("todo.txt"), "1. try 'strata restore latest --target /tmp/restored'\n");
        Files.deleteIfExists(docs.resolve("old-draft.txt"));

        step("Second backup: only what changed is read and stored");
        run(inner, "backup", docs.toString());

        step("The snapshots of this repository");
        run(inner, "snapshots");

        step("What changed between the last two snapshots");
        var list = Json.MAPPER.readTree(capture(inner, "snapshots", "--json", "--path", docs.toString()));
        if (list.size() >= 2) {
            run(inner, "diff", list.get(list.size() - 2).get("shortId").asText(), list.get(list.size() - 1).get("shortId").asText());
        }

        showMount(inner, base.resolve("mnt"));

        step("Next: 'strata mount DIR' to browse and copy back any version; 'strata restore latest --target DIR'"
                + " writes a snapshot back; 'strata --help' shows every command.");
        return ExitCode.OK.code();
    }

    /** Mounts the repository, shows the history as folders, and unmounts. */
    private void showMount(CliContext inner, Path mnt) throws IOException {
        if (!Files.exists(Path.of("/dev/fuse")) || !FuseTools.available()) {
            step("Skipping the mount: FUSE is not available here (Debian: apt-get install -y fuse libfuse2)");
            return;
        }
        step("A live volume: a read-write folder that keeps every version of its files by itself");
        if (quietly(inner, "volume", "info", VOLUME) != ExitCode.OK.code()) {
            run(inner, "volume", "create", VOLUME);
        }
        step("Mounting the repository: every snapshot and every version of every file is a folder");
        Files.createDirectories(mnt);
        if (dev.strata.fuse.FuseMount.isMounted(mnt)) {
            run(inner, "umount", mnt.toString());
        }
        run(inner, "mount", "--daemon", mnt.toString());
        try {
            Path snapshots = mnt.resolve("snapshots");
            list(mnt);
            for (Path source : children(snapshots)) {
                list(source);
                Path versions = mnt.resolve("versions").resolve(source.getFileName().toString());
                if (Files.isDirectory(versions.resolve("notes.txt"))) {
                    list(versions.resolve("notes.txt"));
                    List<Path> all = children(versions.resolve("notes.txt"));
                    ctx.out().println("$ cat " + all.get(0));
                    ctx.out().print(Files.readString(all.get(0)));
                }
            }
            ctx.out().println("(copy any of these out with cp or a file manager to restore it)");
            showVolume(mnt);
        } finally {
            run(inner, "umount", mnt.toString());
        }
    }

    /** Writes a file in the mounted volume twice and shows both versions appear by themselves. */
    private void showVolume(Path mnt) throws IOException {
        Path live = mnt.resolve("volumes").resolve(VOLUME);
        if (!Files.isDirectory(live)) {
            return;
        }
        step("Writing in the live volume " + live + ": each save of a file is a version");
        Path plan = live.resolve("plan.txt");
        ctx.out().println("$ echo 'first plan' > " + plan);
        Files.writeString(plan, "first plan\n");
        ctx.out().println("$ echo 'better plan' > " + plan);
        Files.writeString(plan, "better plan\n");
        Path versions = mnt.resolve("versions").resolve("volume-" + VOLUME).resolve("plan.txt");
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        while ((!Files.isDirectory(versions) || children(versions).size() < 2) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (!Files.isDirectory(versions)) {
            ctx.out().println("(no versions of plan.txt yet: they appear within a second of each close)");
            return;
        }
        list(versions);
        List<Path> all = children(versions);
        ctx.out().println("$ cat " + all.get(0));
        ctx.out().print(Files.readString(all.get(0)));
        ctx.out().println("('strata mount --volume " + VOLUME + " DIR' mounts the volume alone, for everyday work)");
    }

    private void list(Path dir) throws IOException {
        ctx.out().println("$ ls " + dir);
        for (Path p : children(dir)) {
            String name = p.getFileName().toString();
            ctx.out().println("  " + (Files.isSymbolicLink(p) ? name + " -> " + Files.readSymbolicLink(p)
                    : Files.isDirectory(p) ? name + "/" : name));
        }
    }

    private static List<Path> children(Path dir) throws IOException {
        try (var s = Files.list(dir)) {
            return s.sorted().toList();
        }
    }

    private void step(String text) {
        ctx.out().println();
        ctx.out().println("==> " + text);
    }

    private void run(CliContext inner, String... args) throws IOException {
        ctx.out().println("$ strata " + String.join(" ", args));
        int code = Cli.run(args, inner);
        if (code != ExitCode.OK.code() && code != ExitCode.INCOMPLETE.code()) {
            throw new UserFacingException(ExitCode.FAILURE, "the demo stopped: 'strata " + String.join(" ", args)
                    + "' exited with " + code);
        }
    }

    /** Runs a command without showing it or its output; returns its exit code. */
    private static int quietly(CliContext inner, String... args) {
        var sink = new java.io.PrintStream(java.io.OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);
        return Cli.run(args, new CliContext(inner.env(), inner.in(), sink, sink, inner.prompt(), false,
                inner.clock(), inner.host(), inner.kdf()));
    }

    private String capture(CliContext inner, String... args) throws IOException {
        var bytes = new java.io.ByteArrayOutputStream();
        var out = new java.io.PrintStream(bytes, true, StandardCharsets.UTF_8);
        CliContext quiet = new CliContext(inner.env(), inner.in(), out, inner.err(), inner.prompt(), false,
                inner.clock(), inner.host(), inner.kdf());
        if (Cli.run(args, quiet) != 0) {
            throw new UserFacingException(ExitCode.FAILURE, "the demo stopped: 'strata " + String.join(" ", args) + "' failed");
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /** A small folder with text, a binary, a nested folder and a duplicate. */
    private static void createSample(Path docs) throws IOException {
        Files.createDirectories(docs.resolve("photos/2026"));
        Files.writeString(docs.resolve("notes.txt"), "Meeting notes\n- Strata demo\n");
        Files.writeString(docs.resolve("old-draft.txt"), "An early draft that will be deleted.\n");
        StringBuilder log = new StringBuilder();
        for (int i = 0; i < 5000; i++) {
            log.append("2026-11-26T10:").append(i % 60).append(" INFO request ").append(i).append(" served in ")
                    .append(i % 97).append(" ms\n");
        }
        Files.writeString(docs.resolve("server.log"), log);
        byte[] photo = new byte[3 << 20];
        new Random(42).nextBytes(photo);
        Files.write(docs.resolve("photos/2026/beach.jpg"), photo);
        // The same photo under another name costs nothing: it is stored once.
        Files.write(docs.resolve("photos/2026/beach-copy.jpg"), photo);
    }
}
