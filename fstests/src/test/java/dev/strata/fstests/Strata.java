package dev.strata.fstests;

import dev.strata.cli.Cli;
import dev.strata.cli.CliContext;
import dev.strata.cli.PasswordPrompt;
import dev.strata.core.crypto.KdfParams;
import dev.strata.core.repo.HostIdentity;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The {@code strata} command for these tests: in process for init and backups (with a cheap key
 * derivation so each open is quick), and as a real child JVM for mounts, exactly as a person runs it.
 */
final class Strata {
    static final String PASSWORD = "fstests password";

    record Result(int code, String out, String err) {
        Result ok() {
            if (code != 0) {
                throw new AssertionError("strata failed with " + code + ":\n" + out + err);
            }
            return this;
        }
    }

    final Path repo;
    final Path cache;
    /** Where live volumes keep their local state. */
    final Path state;
    private final String location;
    private final Map<String, String> extraEnv;

    Strata(Path dir) {
        this(dir, dir.resolve("repo").toString(), Map.of());
    }

    /** A repository at {@code location} (a folder or an s3: URL), with more environment for the commands (credentials). */
    Strata(Path dir, String location, Map<String, String> extraEnv) {
        this.repo = dir.resolve("repo");
        this.cache = dir.resolve("cache");
        this.state = dir.resolve("state");
        this.location = location;
        this.extraEnv = Map.copyOf(extraEnv);
    }

    Map<String, String> env() {
        Map<String, String> env = new java.util.HashMap<>(extraEnv);
        env.putAll(Map.of("STRATA_REPO", location, "STRATA_CACHE_DIR", cache.toString(), "STRATA_PASSWORD", PASSWORD,
                "STRATA_STATE_DIR", state.toString(),
                "HOME", cache.resolve("home").toString(), "PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin")));
        // glibc's arenas for a child JVM, as tools/launcher sets them for every strata JVM.
        env.putIfAbsent("MALLOC_ARENA_MAX", "2");
        return Map.copyOf(env);
    }

    /** Runs a command line in this JVM. */
    Result run(String... args) {
        return runIn(env(), args);
    }

    /** Runs a command line in this JVM with the environment {@code env} (no password prompt, a cheap key derivation). */
    static Result runIn(Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PasswordPrompt none = new PasswordPrompt() {
            @Override
            public boolean available() {
                return false;
            }

            @Override
            public char[] read(String prompt) {
                return null;
            }
        };
        CliContext ctx = new CliContext(env, new ByteArrayInputStream(new byte[0]),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                none, false, Clock.systemUTC(), HostIdentity.current(), new KdfParams(64, 1, 1));
        int code = Cli.run(args, ctx);
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /**
     * The collector and compiler settings tools/launcher gives every strata JVM, so that the child runs as
     * a person's does (and costs what it does: 15 % less CPU in the mount tests than the JVM's defaults).
     */
    private static final List<String> LAUNCHER_JVM_FLAGS = dev.strata.cli.JvmFlags.common();

    /** The command line that runs {@code strata} in a new JVM with this test's classpath. */
    static List<String> javaCommand(String... args) {
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "--add-opens", "java.base/java.nio=ALL-UNNAMED", "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
                "--add-opens", "java.base/sun.nio.fs=ALL-UNNAMED"));
        cmd.addAll(LAUNCHER_JVM_FLAGS);
        cmd.addAll(List.of("-Xmx512m", "-cp", System.getProperty("java.class.path"), "dev.strata.cli.Main"));
        cmd.addAll(List.of(args));
        return cmd;
    }
}
