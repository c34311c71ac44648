package dev.strata.cli.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.strata.cli.CliRunner;
import dev.strata.core.backend.s3.testing.FaultyProxy;
import dev.strata.core.backend.s3.testing.FaultyProxy.Fault;
import dev.strata.core.backend.s3.testing.S3TestServer;
import dev.strata.core.error.ExitCode;
import dev.strata.core.testing.RandomData;
import dev.strata.core.testing.TestRepositories;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static dev.strata.cli.e2e.E2e.lastJson;
import static dev.strata.cli.e2e.E2e.ok;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code strata copy} through the real CLI: between two local repositories and from a local one into
 * S3 (S3Proxy on loopback) and back, each with its own password. The copy restores byte-identical with
 * its metadata, {@code check --read-data} is clean on the target, the records keep their time, host,
 * paths and tags, and a second copy sends nothing.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class CopyEndToEndTest {
    private static final String TARGET_PASSWORD = "the target's own password";
    @TempDir
    static Path tmp;
    static S3TestServer server;
    static Path src;
    static TreeComparison.Manifest manifest;
    static CliRunner origin;
    static String originRepo;

    /** One repository with two snapshots: every kind of entry, and a second source with a tag. */
    @BeforeAll
    static void backUp() throws Exception {
        server = S3TestServer.start();
        src = TreeFixture.everything(11).createOn(tmp.resolve("src"));
        Files.write(src.resolve("large.bin"), RandomData.bytes(3, 3 << 20));
        manifest = TreeComparison.scan(src);
        origin = E2e.smallRepository(tmp.resolve("a"));
        originRepo = tmp.resolve("a/repo").toString();
        ok(origin, "backup", src.toString());
        Path other = Files.createDirectories(tmp.resolve("other"));
        Files.writeString(other.resolve("note.txt"), "a second source\n");
        ok(origin, "backup", "--tag", "notes", "--host", "desk", other.toString());
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    /** A runner on {@code repo} with the target's password and the origin's as the source password. */
    private static CliRunner target(String repo, String name) {
        CliRunner cli = new CliRunner(tmp.resolve(name + "-unused"), tmp.resolve(name + "-cache"))
                .env("STRATA_REPO", repo).password(TARGET_PASSWORD).env("STRATA_FROM_PASSWORD", TestRepositories.PASSWORD);
        server.env().forEach(cli::env);
        return cli;
    }

    private static Map<String, Long> files(Path repo) throws IOException {
        Map<String, Long> out = new TreeMap<>();
        try (Stream<Path> s = Files.walk(repo.resolve("data"))) {
            for (Path p : (Iterable<Path>) s.filter(Files::isRegularFile)::iterator) {
                out.put(repo.relativize(p).toString(), Files.size(p));
            }
        }
        return out;
    }

    /** The copy restores identically, checks clean and keeps the records' fields. */
    private static void assertFaithful(CliRunner copy, String name) throws IOException {
        JsonNode originals = lastJson(ok(origin, "snapshots", "--json"));
        JsonNode copies = lastJson(ok(copy, "snapshots", "--json"));
        assertThat(copies.size()).isEqualTo(originals.size());
        for (int i = 0; i < originals.size(); i++) {
            for (String field : List.of("time", "host", "user", "paths", "tags", "kind", "summary")) {
                assertThat(copies.get(i).get(field)).as(field).isEqualTo(originals.get(i).get(field));
            }
            assertThat(copies.get(i).get("id")).isNotEqualTo(originals.get(i).get("id"));
        }
        Path restored = tmp.resolve(name + "-restore");
        ok(copy, "restore", copies.get(0).get("id").asText(), "--target", restored.toString());
        assertThat(TreeComparison.compare(manifest, TreeComparison.scan(E2e.restoredAt(restored, src)))).isEmpty();
        assertThat(ok(copy, "check", "--read-data").err()).isEmpty();
    }

    @Test
    void localToLocal_copiesEverything_andASecondCopySendsNothing() throws IOException {
        Path repo = tmp.resolve("b/repo");
        CliRunner b = target(repo.toString(), "b");
        ok(b, "init");
        JsonNode first = lastJson(ok(b, "copy", "--from", originRepo, "--json"));
        assertThat(first.get("copied").size()).isEqualTo(2);
        assertThat(first.get("chunksStored").asLong()).isPositive();
        assertFaithful(b, "b");

        Map<String, Long> before = files(repo);
        JsonNode again = lastJson(ok(b, "copy", "--from", originRepo, "--json"));
        assertThat(again.get("copied").size()).isZero();
        assertThat(again.get("present").size()).isEqualTo(2);
        assertThat(again.get("chunksRead").asLong() + again.get("chunksStored").asLong()).isZero();
        assertThat(files(repo)).as("no pack written").isEqualTo(before);

        // Back into the origin: the originals are found there.
        CliRunner back = new CliRunner(tmp.resolve("a/repo"), tmp.resolve("a/cache")).password(TestRepositories.PASSWORD)
                .env("STRATA_FROM_PASSWORD", TARGET_PASSWORD);
        JsonNode home = lastJson(ok(back, "copy", "--from", repo.toString(), "--json"));
        assertThat(home.get("copied").size()).isZero();
        assertThat(home.get("present").size()).isEqualTo(2);
    }

    @Test
    void namedSnapshots_onlyThoseAreCopied() throws IOException {
        CliRunner c = target(tmp.resolve("c/repo").toString(), "c");
        ok(c, "init");
        CliRunner.Result r = ok(c, "copy", "--from", originRepo, "latest");
        assertThat(r.out()).contains("1 snapshot copied, 0 already in the target");
        JsonNode copies = lastJson(ok(c, "snapshots", "--json"));
        assertThat(copies.size()).isEqualTo(1);
        assertThat(copies.get(0).get("tags").get(0).asText()).isEqualTo("notes");
    }

    @Test
    void wrongSourcePassword_andTheSameRepository_areOneLineErrors() throws IOException {
        CliRunner d = target(tmp.resolve("d/repo").toString(), "d");
        ok(d, "init");
        CliRunner.Result wrong = d.env("STRATA_FROM_PASSWORD", "not it").run("copy", "--from", originRepo);
        assertThat(wrong.code()).as(wrong.toString()).isEqualTo(ExitCode.WRONG_PASSWORD.code());
        assertThat(wrong.err()).contains(originRepo);
        CliRunner.Result same = d.env("STRATA_FROM_PASSWORD", TARGET_PASSWORD).run("copy", "--from", tmp.resolve("d/repo").toString());
        assertThat(same.code()).as(same.toString()).isEqualTo(ExitCode.USAGE.code());
        assertThat(same.err().strip().split("\n")).hasSize(1);
    }

    @Test
    void localToS3_andBack_sendingNothingTheSecondTime() throws Exception {
        server.createBucket("offsite");
        List<FaultyProxy.Request> requests = new CopyOnWriteArrayList<>();
        try (FaultyProxy meter = FaultyProxy.start(server.port(), r -> {
            requests.add(r);
            return Fault.NONE;
        }, 0)) {
            String s3 = "s3:" + meter.endpoint() + "/offsite/laptop";
            CliRunner s = target(s3, "s3");
            ok(s, "init");
            requests.clear();
            JsonNode first = lastJson(ok(s, "copy", "--from", originRepo, "--json"));
            assertThat(first.get("copied").size()).isEqualTo(2);
            long firstPuts = requests.stream().filter(r -> r.method().equals("PUT")).count();
            long firstBytes = requests.stream().filter(r -> r.method().equals("PUT")).mapToLong(FaultyProxy.Request::contentLength).sum();
            int firstRequests = requests.size();
            assertFaithful(s, "s3");

            requests.clear();
            JsonNode again = lastJson(ok(s, "copy", "--from", originRepo, "--json"));
            assertThat(again.get("copied").size()).isZero();
            List<FaultyProxy.Request> puts = requests.stream().filter(r -> r.method().equals("PUT") || r.method().equals("POST")).toList();
            assertThat(puts).as("only the copy's lock is written").allMatch(r -> r.target().contains("/locks/"));
            long againBytes = puts.stream().mapToLong(FaultyProxy.Request::contentLength).sum();
            System.out.printf("copy into S3: first %d requests, %d PUTs, %d bytes up; again %d requests, %d PUTs, %d bytes up%n",
                    firstRequests, firstPuts, firstBytes, requests.size(), puts.size(), againBytes);
            assertThat(againBytes).isLessThan(4096);

            // And back: from S3 into a new local repository, and into the origin, which holds the originals.
            Path back = tmp.resolve("e/repo");
            CliRunner e = new CliRunner(back, tmp.resolve("e/cache")).password("third password")
                    .env("STRATA_FROM_PASSWORD", TARGET_PASSWORD);
            server.env().forEach(e::env);
            ok(e, "init");
            requests.clear();
            JsonNode fromS3 = lastJson(ok(e, "copy", "--from", s3, "--json"));
            assertThat(fromS3.get("copied").size()).isEqualTo(2);
            // The source's data chunks are read a run of neighbours per request, not one per request.
            long dataGets = requests.stream().filter(r -> r.method().equals("GET") && r.target().contains("/data/")).count();
            long packs = requests.stream().filter(r -> r.method().equals("GET") && r.target().contains("/data/"))
                    .map(r -> r.target().replaceAll("\\?.*", "")).distinct().count();
            System.out.printf("copy from S3: %d data chunks read with %d GETs of %d packs (%d requests in all)%n",
                    fromS3.get("chunksRead").asLong(), dataGets, packs, requests.size());
            assertThat(fromS3.get("chunksRead").asLong()).isGreaterThan(100);
            assertThat(dataGets).as("GETs of packs (tables and trees included)").isLessThan(fromS3.get("chunksRead").asLong() / 2);
            assertFaithful(e, "e");
            CliRunner home = new CliRunner(tmp.resolve("a/repo"), tmp.resolve("a/cache")).password(TestRepositories.PASSWORD)
                    .env("STRATA_FROM_PASSWORD", TARGET_PASSWORD);
            server.env().forEach(home::env);
            assertThat(lastJson(ok(home, "copy", "--from", s3, "--json")).get("copied").size()).isZero();
        }
    }
}
