package dev.strata.cli.e2e;

import dev.strata.cli.CliRunner;
import dev.strata.core.backend.s3.testing.FaultyProxy;
import dev.strata.core.backend.s3.testing.RequestKinds;
import dev.strata.core.backend.s3.testing.S3TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static dev.strata.cli.e2e.E2e.ok;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The requests the real CLI makes of a repository in S3, counted by a proxy in front of S3Proxy: an
 * incremental backup reads its parent's trees from the local cache, not one request per folder.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class S3RequestCountTest {
    private static final int FOLDERS = 40;

    @TempDir
    static Path tmp;
    static S3TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = S3TestServer.start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void anIncrementalBackup_readsNoTreeFromTheBucket() throws IOException {
        server.createBucket("counted");
        RequestKinds kinds = new RequestKinds();
        try (FaultyProxy proxy = FaultyProxy.start(server.port(), r -> {
            kinds.add(r.method(), r.target());
            return FaultyProxy.Fault.NONE;
        }, 0)) {
            Path src = tmp.resolve("src");
            for (int i = 0; i < FOLDERS; i++) {
                Path folder = Files.createDirectories(src.resolve("folder-" + i).resolve("inner"));
                Files.writeString(folder.resolve("a.txt"), "file a of folder " + i + "\n");
                Files.writeString(folder.getParent().resolve("b.txt"), "file b of folder " + i + "\n");
            }
            CliRunner cli = new CliRunner(tmp.resolve("unused"), tmp.resolve("cache"))
                    .env("STRATA_REPO", "s3:" + proxy.endpoint() + "/counted/repo").password("s3 count password");
            server.env().forEach(cli::env);
            ok(cli, "init");
            ok(cli, "backup", src.toString());
            Files.writeString(src.resolve("folder-7").resolve("b.txt"), "changed\n");

            kinds.reset();
            ok(cli, "backup", src.toString());
            // The parent has 2 × 40 folders and more above them; before tree packs were kept locally,
            // each of their trees was a GET of its own.
            assertThat(kinds.count("GET", "data")).as(kinds.table()).isZero();
            assertThat(kinds.count("PUT", "data")).as(kinds.table()).isBetween(1, 2);
        }
    }
}
