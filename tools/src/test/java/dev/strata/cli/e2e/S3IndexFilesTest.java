package dev.strata.cli.e2e;

import dev.strata.core.backend.s3.S3Backend;
import dev.strata.core.backend.s3.testing.FaultyProxy;
import dev.strata.core.backend.s3.testing.FaultyProxy.Fault;
import dev.strata.core.backend.s3.testing.S3TestServer;
import dev.strata.core.pack.ManyPacksRepository;
import dev.strata.core.repo.Repository;
import dev.strata.core.testing.TestRepositories;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A client with an empty cache opening a repository of many packs in S3 (S3Proxy on loopback): with
 * index files it makes a few dozen requests, not some per pack (docs/format.md §9.1).
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class S3IndexFilesTest {
    /** 2,000; more by hand for a measurement: STRATA_TEST_MANY_PACKS=20000. */
    private static final int PACKS = Integer.parseInt(System.getenv().getOrDefault("STRATA_TEST_MANY_PACKS", "2000"));
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

    /** Requests made and seconds taken by opening {@code prefix} with an empty cache. */
    private static int[] open(String bucket, String prefix, String cache) throws Exception {
        AtomicInteger requests = new AtomicInteger();
        try (FaultyProxy meter = FaultyProxy.start(server.port(), r -> {
            requests.incrementAndGet();
            return Fault.NONE;
        }, 0)) {
            long t0 = System.nanoTime();
            try (Repository r = TestRepositories.on(new S3Backend(server.settings(bucket, prefix, meter.endpoint())),
                    tmp.resolve(cache)).open(null)) {
                assertThat(r.index().packs()).hasSize(PACKS);
            }
            return new int[] {requests.get(), (int) ((System.nanoTime() - t0) / 1_000_000)};
        }
    }

    @Test
    void anEmptyCache_opensFromIndexFiles_inAFewRequests() throws Exception {
        server.createBucket("many");
        ManyPacksRepository.build(new S3Backend(server.settings("many", "tables")), PACKS, 3, 0);
        ManyPacksRepository.build(new S3Backend(server.settings("many", "indexed")), PACKS, 3, Math.min(PACKS / 4, 50_000));
        int[] tables = open("many", "tables", "c1");
        int[] indexed = open("many", "indexed", "c2");
        System.out.printf("empty cache, %d packs in S3: from tables %d requests %d ms; from index files %d requests %d ms%n",
                PACKS, tables[0], tables[1], indexed[0], indexed[1]);
        assertThat(tables[0]).isGreaterThan(PACKS);
        assertThat(indexed[0]).isLessThan(40);
    }
}
