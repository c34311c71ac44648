package dev.strata.cli;

import dev.strata.core.crypto.KdfParams;
import dev.strata.core.repo.HostIdentity;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * Runs {@code strata} command lines in process against a repository and cache in a test folder,
 * with a cheap Argon2 cost so tests stay fast. Confined to one test thread.
 */
public final class CliRunner {
    /** Cheap key derivation for tests; real repositories calibrate to about half a second. */
    public static final KdfParams TEST_KDF = new KdfParams(64, 1, 1);

    private final Map<String, String> env = new HashMap<>();
    private final Deque<String> typed = new ArrayDeque<>();
    private Clock clock = Clock.systemUTC();
    private boolean terminal;
    private byte[] stdin = new byte[0];

    public CliRunner(Path repo, Path cache) {
        env.put("STRATA_REPO", repo.toString());
        env.put("STRATA_CACHE_DIR", cache.toString());
        env.put("HOME", cache.resolve("home").toString());
    }

    public CliRunner env(String name, String value) {
        if (value == null) {
            env.remove(name);
        } else {
            env.put(name, value);
        }
        return this;
    }

    public CliRunner password(String pw) {
        return env("STRATA_PASSWORD", pw);
    }

    /** Pretends there is a terminal on which these answers are typed at the next prompts. */
    public CliRunner typing(String... answers) {
        terminal = true;
        typed.addAll(java.util.List.of(answers));
        return this;
    }

    /** What the next commands read from standard input. */
    public CliRunner stdin(byte[] bytes) {
        this.stdin = bytes.clone();
        return this;
    }

    public CliRunner clock(Clock c) {
        this.clock = c;
        return this;
    }

    public Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PasswordPrompt prompt = new PasswordPrompt() {
            @Override
            public boolean available() {
                return terminal;
            }

            @Override
            public char[] read(String p) {
                String s = typed.poll();
                return s == null ? null : s.toCharArray();
            }
        };
        CliContext ctx = new CliContext(Map.copyOf(env), new ByteArrayInputStream(stdin),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                prompt, terminal, clock, HostIdentity.current(), TEST_KDF);
        int code = Cli.run(args, ctx);
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** What a command printed and returned. */
    public record Result(int code, String out, String err) {
        @Override
        public String toString() {
            return "exit " + code + "\n--- out\n" + out + "--- err\n" + err;
        }
    }
}
