package dev.strata.cli.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.strata.cli.CliRunner;
import dev.strata.core.backend.s3.testing.FaultyProxy;
import dev.strata.core.backend.s3.testing.FaultyProxy.Fault;
import dev.strata.core.backend.s3.testing.S3TestServer;
import dev.strata.core.error.ExitCode;
import dev.strata.core.testing.RandomData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import static dev.strata.cli.e2e.E2e.lastJson;
import static dev.strata.cli.e2e.E2e.ok;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The real CLI on a repository in S3 (S3Proxy on loopback): init, backup, snapshots, restore
 * byte-identical, check --read-data, forget and prune; the same through a proxy that breaks a share
 * of the requests; and the one-line errors of credentials, buckets, permissions and endpoints.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class S3EndToEndTest {
    @TempDir
    static Path tmp;
    static S3TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = S3TestServer.start();
    }

    /** A tree of every kind of entry in a folder of its own (a backup changes atimes, so each test has one). */
    private static Path source(String name) throws IOException {
        Path src = TreeFixture.everything(42).createOn(tmp.resolve(name + "-src"));
        // More than one multipart threshold of data in one file: its pack goes up in parts.
        Files.write(src.resolve("large.bin"), RandomData.bytes(5, 20 << 20));
        return src;
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    private static CliRunner cli(String repo, String name) {
        CliRunner cli = new CliRunner(tmp.resolve(name + "-unused"), tmp.resolve(name + "-cache"))
                .env("STRATA_REPO", repo).password("s3 test password");
        server.env().forEach(cli::env);
        return cli;
    }

    @Test
    void theWholeLifeOfARepository_inABucketPrefix() throws IOException {
        server.createBucket("life");
        String repo = server.repo("life", "hosts/laptop");
        CliRunner cli = cli(repo, "life");
        Path src = source("life");
        TreeComparison.Manifest source = TreeComparison.scan(src);

        CliRunner.Result init = ok(cli, "init", "--json");
        String id = lastJson(init).get("id").asText();
        assertThat(lastJson(init).get("location").asText()).isEqualTo(repo);
        assertThat(server.keys("life")).allMatch(k -> k.startsWith("hosts/laptop/")).contains("hosts/laptop/config");

        CliRunner.Result backup = ok(cli, "backup", src.toString());
        assertThat(backup.err()).as("no warnings").isEmpty();
        JsonNode list = lastJson(ok(cli, "snapshots", "--json"));
        assertThat(list.size()).isEqualTo(1);
        assertThat(tmp.resolve("life-cache").resolve(id).resolve("index")).as("the cache is keyed by repository id").isDirectory();

        Path target = tmp.resolve("life-restore");
        ok(cli, "restore", "latest", "--target", target.toString());
        assertThat(TreeComparison.compare(source, TreeComparison.scan(E2e.restoredAt(target, src)))).isEmpty();
        assertThat(ok(cli, "check", "--read-data").err()).isEmpty();

        // A second client with an empty cache reads the same repository.
        CliRunner other = cli(repo, "life-other");
        assertThat(ok(other, "ls", "latest:" + src).out()).contains("large.bin");

        Files.writeString(src.resolve("added.txt"), "new in the second backup\n");
        ok(cli, "backup", src.toString());
        ok(cli, "forget", "--keep-last", "1");
        ok(cli, "prune");
        assertThat(ok(cli, "check", "--read-data").err()).isEmpty();
        Path second = tmp.resolve("life-restore-2");
        ok(other, "restore", "latest:" + src + "/added.txt", "--target", second.toString());
        assertThat(second.resolve("added.txt")).hasContent("new in the second backup");
        assertThat(server.incompleteUploads("life")).isEmpty();
        assertThat(server.keys("life")).noneMatch(k -> k.contains("/tmp/"));
    }

    @Test
    void init_refusesABucketPrefixThatHoldsObjects() {
        server.createBucket("busy");
        server.putObject("busy", "photos/holiday.jpg", new byte[10]);
        CliRunner.Result r = cli(server.repo("busy", ""), "busy").run("init");
        assertThat(r.code()).isEqualTo(ExitCode.ALREADY_EXISTS.code());
        assertThat(r.err()).contains("holds objects already");
        assertThat(server.keys("busy")).containsExactly("photos/holiday.jpg");
        assertThat(cli(server.repo("busy", "strata"), "busy2").run("init").code()).isZero();
    }

    /**
     * About one request in five is reset, cut, truncated, answered 500 or 503, or delayed: backup,
     * restore and check still complete with the same bytes, and nothing half is stored.
     */
    @Test
    void backupRestoreAndCheck_completeThroughFaults() throws Exception {
        server.createBucket("flaky");
        SplittableRandom random = new SplittableRandom(2026);
        Fault[] faults = Arrays.stream(Fault.values()).filter(f -> f != Fault.NONE).toArray(Fault[]::new);
        int[] drawn = {0};
        try (FaultyProxy proxy = FaultyProxy.start(server.port(), r -> {
            synchronized (random) {
                // Which requests fail is random; the kinds take turns, so that each happens however few
                // requests the commands make (a restore reads each pack in a few ranged requests).
                return random.nextInt(5) == 0 ? faults[drawn[0]++ % faults.length] : Fault.NONE;
            }
        }, 200)) {
            String repo = "s3:" + proxy.endpoint() + "/flaky/repo";
            Path src = source("flaky");
            TreeComparison.Manifest source = TreeComparison.scan(src);
            CliRunner cli = cli(repo, "flaky").env("STRATA_S3_RETRIES", "20");
            ok(cli, "init", "--chunk-size", "16,64,256");
            ok(cli, "backup", src.toString());
            Path target = tmp.resolve("flaky-restore");
            ok(cli, "restore", "latest", "--target", target.toString());
            assertThat(TreeComparison.compare(source, TreeComparison.scan(E2e.restoredAt(target, src)))).isEmpty();
            assertThat(ok(cli, "check", "--read-data").err()).isEmpty();
            for (Fault f : faults) {
                assertThat(proxy.count(f)).as("%s happened", f).isPositive();
            }
        }
        // A start of an upload whose answer was cut leaves an upload with no part (its id never came),
        // which prune aborts once old; an upload holding parts would be data stored half.
        assertThat(server.incompleteUploadsWithParts("flaky")).isEmpty();
    }

    @Test
    void storageErrors_areOneLineWithTheirExitCode() throws IOException {
        server.createBucket("guarded");
        server.denyBucket("guarded");
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        Map<String, ExitCode> expected = Map.of(
                "wrong-secret", ExitCode.CREDENTIALS_REJECTED,
                "missing-bucket", ExitCode.BUCKET_NOT_FOUND,
                "denied", ExitCode.ACCESS_DENIED,
                "unreachable", ExitCode.UNREACHABLE);
        for (Map.Entry<String, ExitCode> c : expected.entrySet()) {
            String repo;
            CliRunner cli;
            switch (c.getKey()) {
                case "wrong-secret":
                    cli = cli(server.repo("guarded", ""), "e1").env("AWS_SECRET_ACCESS_KEY", "wrong");
                    break;
                case "missing-bucket":
                    cli = cli(server.repo("no-such-bucket", "x"), "e2");
                    break;
                case "denied":
                    cli = cli(server.repo("guarded", ""), "e3");
                    break;
                default:
                    repo = "s3:http://127.0.0.1:" + closedPort + "/b";
                    cli = cli(repo, "e4").env("STRATA_S3_RETRIES", "1");
            }
            for (List<String> command : List.of(List.of("init"), List.of("snapshots"), List.of("backup", tmp.toString()))) {
                CliRunner.Result r = cli.run(command.toArray(String[]::new));
                assertThat(r.code()).as("%s: %s %s", c.getKey(), command, r).isEqualTo(c.getValue().code());
                assertThat(r.err().strip().split("\n")).as(r.err()).hasSize(1);
                assertThat(r.err()).startsWith("strata: ").doesNotContain("Exception");
            }
        }
    }

    @Test
    void aLocationThatIsNoS3Url_isAUsageError() {
        CliRunner.Result r = cli("s3:ftp://host/bucket", "bad").run("snapshots");
        assertThat(r.code()).isEqualTo(ExitCode.USAGE.code());
        assertThat(r.err()).contains("is not an S3 location");
    }
}
