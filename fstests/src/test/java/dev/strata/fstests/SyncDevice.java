package dev.strata.fstests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * One sync device for the tests: its own HOME, configuration folder (identity, peers), state folder,
 * repository and cache. Short commands run in this JVM; {@code strata sync run} runs as a real child
 * JVM, stopped with SIGTERM (SIGKILL if it does not end in time) when the device is closed.
 */
final class SyncDevice implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    final Path dir;
    final Path config;
    final Path repo;
    final Path cache;
    final Path log;
    final int port;
    private Process process;

    SyncDevice(Path dir) throws IOException {
        this.dir = dir;
        this.config = dir.resolve("config");
        this.repo = dir.resolve("repo");
        this.cache = dir.resolve("cache");
        this.log = dir.resolve("sync.log");
        this.port = freePort();
        Files.createDirectories(dir.resolve("home"));
    }

    Map<String, String> env() {
        Map<String, String> env = new HashMap<>();
        env.put("HOME", dir.resolve("home").toString());
        env.put("XDG_CONFIG_HOME", config.toString());
        env.put("STRATA_STATE_DIR", dir.resolve("state").toString());
        env.put("STRATA_REPO", repo.toString());
        env.put("STRATA_CACHE_DIR", cache.toString());
        env.put("STRATA_PASSWORD", Strata.PASSWORD);
        env.put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        return env;
    }

    /** The folder of this device's identity and peer list. */
    Path configFolder() {
        return config.resolve("strata");
    }

    String address() {
        return "127.0.0.1:" + port;
    }

    /** Runs a command line in this JVM (cheap key derivation); fails unless it exits 0. */
    String run(String... args) {
        return runWith(this, Map.of(), args);
    }

    /** Runs a command line in this JVM with {@code device}'s environment changed by {@code overrides}. */
    static String runWith(SyncDevice device, Map<String, String> overrides, String... args) {
        Map<String, String> env = device.env();
        env.putAll(overrides);
        Strata.Result r = Strata.runIn(env, args);
        if (r.code() != 0) {
            throw new AssertionError("strata " + String.join(" ", args) + " failed with " + r.code() + ":\n" + r.out() + r.err());
        }
        return r.out();
    }

    String id() {
        return run("sync", "id").strip();
    }

    JsonNode status() throws IOException {
        return JSON.readTree(run("sync", "status", "--json"));
    }

    /** This device's state of {@code peer} in {@code strata sync status --json}. */
    JsonNode peerStatus(String peer) throws IOException {
        for (JsonNode p : status().path("peers")) {
            if (p.path("id").asText().equals(peer)) {
                return p;
            }
        }
        throw new AssertionError("no peer " + peer + " in " + status());
    }

    /** Waits until the status of {@code peer} satisfies {@code test}; fails with the status and the log after {@code d}. */
    JsonNode awaitPeer(String peer, Predicate<JsonNode> test, Duration d) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + d.toNanos();
        while (true) {
            JsonNode s = peerStatus(peer);
            if (test.test(s)) {
                return s;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("peer " + peer + " stayed " + s + "\nlog:\n" + log());
            }
            Thread.sleep(200);
        }
    }

    /** Starts {@code strata sync run} listening on this device's port. */
    void start() throws IOException {
        List<String> cmd = new ArrayList<>(Strata.javaCommand("sync", "run", "--listen", address()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().putAll(env());
        process = pb.start();
    }

    String log() {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    /** Waits until the log contains {@code text}; fails with the log after {@code d}. */
    void awaitLog(String text, Duration d) throws InterruptedException {
        long deadline = System.nanoTime() + d.toNanos();
        while (!log().contains(text)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the log of " + dir.getFileName() + " never said '" + text + "':\n" + log());
            }
            if (process != null && !process.isAlive()) {
                throw new AssertionError("strata sync run ended (" + process.exitValue() + ") before saying '" + text + "':\n" + log());
            }
            Thread.sleep(100);
        }
    }

    /** Sends SIGTERM and waits for the exit; its exit code. SIGKILL if it outlives 30 s. */
    int terminate() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
            throw new AssertionError("strata sync run did not end within 30 s of SIGTERM:\n" + log());
        }
        return process.exitValue();
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    /**
     * Two fresh devices that added each other as peers; {@code owner} creates the shareable volume
     * {@code docs} and shares it with {@code joiner}, which joins it; one {@code sync run} on both
     * (stopped again) has set the joined volume up.
     */
    static void shareDocs(SyncDevice owner, SyncDevice joiner, Duration wait) throws IOException, InterruptedException {
        owner.run("init");
        joiner.run("init");
        String ownerId = owner.id();
        String joinerId = joiner.id();
        owner.run("sync", "add-peer", joinerId, joiner.address());
        joiner.run("sync", "add-peer", ownerId, owner.address());
        owner.run("volume", "create", "docs", "--shareable");
        owner.run("sync", "share", "docs", "--with", joinerId);
        joiner.run("sync", "join", "docs", "--from", ownerId);
        owner.start();
        joiner.start();
        joiner.awaitLog("syncing volume docs", wait);
        if (joiner.terminate() != 0 || owner.terminate() != 0) {
            throw new AssertionError("a sync run did not end cleanly:\n" + owner.log() + joiner.log());
        }
    }

    /** This device's repository mounted at {@code dir/mnt} with its sync engine listening; {@code options} go first. */
    MountProcess mountSyncing(String... options) throws IOException, InterruptedException {
        String[] all = java.util.Arrays.copyOf(options, options.length + 2);
        all[options.length] = "--sync-listen";
        all[options.length + 1] = address();
        return MountProcess.start(new Strata(dir), dir.resolve("mnt"), env(), all);
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
