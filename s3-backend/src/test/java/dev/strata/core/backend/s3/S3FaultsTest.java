package dev.strata.core.backend.s3;

import dev.strata.core.backend.Backend;
import dev.strata.core.backend.BlobInfo;
import dev.strata.core.backend.BlobName;
import dev.strata.core.backend.BlobType;
import dev.strata.core.backend.s3.testing.FaultyProxy;
import dev.strata.core.backend.s3.testing.FaultyProxy.Fault;
import dev.strata.core.backend.s3.testing.S3TestServer;
import dev.strata.core.id.Hex;
import dev.strata.core.testing.RandomData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The S3 backend through a proxy that resets, cuts, truncates, delays and answers 500/503: every
 * operation completes with the right bytes (the retries mend it), and the bucket holds exactly the
 * blobs that were stored — nothing half, no upload left open.
 */
@Timeout(120)
class S3FaultsTest {
    private static final String BUCKET = "faults";

    @TempDir
    Path scratch;

    private S3TestServer server;
    private FaultyProxy proxy;

    @BeforeEach
    void start() throws Exception {
        server = S3TestServer.start();
        server.createBucket(BUCKET);
    }

    @AfterEach
    void stop() throws Exception {
        try {
            if (proxy != null) {
                proxy.close();
            }
        } finally {
            server.close();
        }
    }

    /** Every fault but DELAY at random on about a third of the requests, the rest untouched. */
    private static FaultyProxy.Plan randomFaults(long seed, double rate) {
        SplittableRandom random = new SplittableRandom(seed);
        Fault[] faults = Arrays.stream(Fault.values()).filter(f -> f != Fault.NONE).toArray(Fault[]::new);
        return r -> {
            synchronized (random) {
                return random.nextDouble() < rate ? faults[random.nextInt(faults.length)] : Fault.NONE;
            }
        };
    }

    private Backend backendVia(FaultyProxy p) throws Exception {
        return new S3Backend(server.settings(BUCKET, "repo", p.endpoint())
                .withRetries(15, Duration.ofMillis(1), Duration.ofMillis(20))
                .withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(5))
                .withMultipart(6 << 20, 5 << 20, 3));
    }

    private static BlobName name(BlobType type, SplittableRandom r) {
        byte[] b = new byte[type.hexNameLength() / 2];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) r.nextInt(256);
        }
        return BlobName.of(type, Hex.encode(b));
    }

    private static Set<BlobInfo> expected(Map<BlobName, byte[]> stored, BlobType type) {
        return stored.entrySet().stream().filter(e -> e.getKey().type() == type)
                .map(e -> new BlobInfo(e.getKey(), e.getValue().length)).collect(Collectors.toSet());
    }

    @Test
    void everyOperation_completesThroughRandomFaults_andStoresNothingHalf() throws Exception {
        proxy = FaultyProxy.start(server.port(), randomFaults(7, 0.35), 30);
        SplittableRandom r = new SplittableRandom(11);
        Map<BlobName, byte[]> stored = new HashMap<>();
        try (Backend backend = backendVia(proxy)) {
            backend.create();
            for (int i = 0; i < 30; i++) {
                BlobName n = name(i % 2 == 0 ? BlobType.PACK : BlobType.SNAPSHOT, r);
                byte[] data = RandomData.bytes(r.nextLong(), r.nextInt(300_000));
                backend.put(n, data);
                stored.put(n, data);
            }
            for (int i = 0; i < 3; i++) {
                BlobName n = name(BlobType.PACK, r);
                byte[] data = RandomData.bytes(r.nextLong(), (11 << 20) + r.nextInt(1 << 20));
                Path file = Files.write(scratch.resolve("pack-" + i), data);
                backend.putFile(n, file);
                stored.put(n, data);
            }
            for (Map.Entry<BlobName, byte[]> e : stored.entrySet()) {
                byte[] data = e.getValue();
                assertArrayEquals(data, backend.get(e.getKey()), e.getKey().toString());
                if (data.length > 10) {
                    int off = r.nextInt(data.length - 10);
                    int len = 1 + r.nextInt(Math.min(data.length - off, 200_000));
                    assertArrayEquals(Arrays.copyOfRange(data, off, off + len), backend.read(e.getKey(), off, len));
                }
                assertEquals(data.length, backend.size(e.getKey()));
            }
            assertEquals(expected(stored, BlobType.PACK), Set.copyOf(backend.list(BlobType.PACK)));
            assertEquals(expected(stored, BlobType.SNAPSHOT), Set.copyOf(backend.list(BlobType.SNAPSHOT)));
            for (BlobName n : List.copyOf(stored.keySet())) {
                if (r.nextBoolean()) {
                    backend.delete(n);
                    stored.remove(n);
                }
            }
            assertEquals(expected(stored, BlobType.PACK), Set.copyOf(backend.list(BlobType.PACK)));
        }
        for (Fault f : Fault.values()) {
            assertTrue(proxy.count(f) > 0, f + " happened; " + proxy.log());
        }
        assertEquals(stored.keySet().stream().map(n -> "repo/" + n.path()).collect(Collectors.toSet()),
                new HashSet<>(server.keys(BUCKET)), "the bucket holds exactly what was stored");
        assertEquals(List.of(), server.incompleteUploads(BUCKET));
    }

    /**
     * A listing whose answer is cut (for a chunked answer: right after its head) is a failure to try
     * again, never a shorter list: a listing that silently lost keys would make blobs look deleted.
     */
    @Test
    void aCutListing_isTriedAgain_neverShorter() throws Exception {
        proxy = FaultyProxy.start(server.port(), req -> Fault.NONE, 0);
        SplittableRandom r = new SplittableRandom(3);
        Set<BlobName> names = new HashSet<>();
        try (Backend backend = backendVia(proxy)) {
            backend.create();
            for (int i = 0; i < 5; i++) {
                BlobName n = name(BlobType.KEY, r);
                backend.put(n, new byte[] {(byte) i});
                names.add(n);
            }
            for (Fault f : List.of(Fault.TRUNCATE_RESPONSE, Fault.LOSE_RESPONSE, Fault.RESET, Fault.STATUS_503)) {
                java.util.concurrent.atomic.AtomicInteger lists = new java.util.concurrent.atomic.AtomicInteger();
                proxy.setPlan(req -> req.method().equals("GET") && req.target().contains("list-type=2")
                        && lists.getAndIncrement() == 0 ? f : Fault.NONE);
                assertEquals(names, backend.list(BlobType.KEY).stream().map(BlobInfo::name).collect(Collectors.toSet()), f.toString());
                assertEquals(2, lists.get(), f + ": tried again once");
            }
        }
    }

    /** A server that answers later than the socket timeout: the request is tried again, not failed. */
    @Test
    void aStalledAnswer_isTriedAgain() throws Exception {
        proxy = FaultyProxy.start(server.port(), req -> Fault.NONE, 3000);
        BlobName n = BlobName.of(BlobType.KEY, "0123456789abcdef0123456789abcdef");
        try (Backend backend = new S3Backend(server.settings(BUCKET, "", proxy.endpoint())
                .withRetries(4, Duration.ofMillis(1), Duration.ofMillis(5))
                .withTimeouts(Duration.ofSeconds(2), Duration.ofMillis(500)))) {
            backend.put(n, new byte[] {4, 2});
            java.util.concurrent.atomic.AtomicInteger gets = new java.util.concurrent.atomic.AtomicInteger();
            proxy.setPlan(req -> req.method().equals("GET") && gets.getAndIncrement() == 0 ? Fault.DELAY : Fault.NONE);
            assertArrayEquals(new byte[] {4, 2}, backend.get(n));
        }
        assertEquals(1, proxy.count(Fault.DELAY));
    }
    /**
     * The completion of a multipart upload whose answer is lost or cut: the server completed it, the
     * retry finds no upload to complete (S3 says NoSuchUpload, S3Proxy InvalidPart). The object is there
     * whole, so the upload has succeeded — never a failed backup over a stored pack.
     */
    @Test
    void aCompletionWhoseAnswerIsLost_succeedsWhenTheObjectIsThere() throws Exception {
        proxy = FaultyProxy.start(server.port(), req -> Fault.NONE, 0);
        SplittableRandom r = new SplittableRandom(5);
        try (Backend backend = backendVia(proxy)) {
            backend.create();
            for (Fault f : List.of(Fault.LOSE_RESPONSE, Fault.TRUNCATE_RESPONSE)) {
                java.util.concurrent.atomic.AtomicInteger completions = new java.util.concurrent.atomic.AtomicInteger();
                proxy.setPlan(req -> req.method().equals("POST") && req.target().contains("uploadId=")
                        && completions.getAndIncrement() == 0 ? f : Fault.NONE);
                BlobName n = name(BlobType.PACK, r);
                byte[] data = RandomData.bytes(r.nextLong(), 11 << 20);
                backend.putFile(n, Files.write(scratch.resolve("lost-" + f), data));
                assertArrayEquals(data, backend.get(n), f.toString());
                assertTrue(completions.get() >= 1, f + ": the completion was sent");
            }
        }
        assertEquals(List.of(), server.incompleteUploads(BUCKET));
    }
    /**
     * A ranged stream gives exactly the bytes asked for or fails: a cut or truncated answer is an
     * IOException to open again from, never a shorter range; 5xx and resets are retried by the request.
     */
    @Test
    void aRangeStream_isExactOrFails_neverShort() throws Exception {
        proxy = FaultyProxy.start(server.port(), req -> Fault.NONE, 0);
        SplittableRandom r = new SplittableRandom(9);
        try (Backend backend = backendVia(proxy)) {
            backend.create();
            BlobName n = name(BlobType.PACK, r);
            byte[] data = RandomData.bytes(r.nextLong(), 3 << 20);
            backend.put(n, data);
            byte[] wanted = Arrays.copyOfRange(data, 1000, 1000 + (2 << 20));
            try (java.io.InputStream in = backend.openRange(n, 1000, 2 << 20)) {
                assertArrayEquals(wanted, in.readAllBytes());
            }
            for (Fault f : List.of(Fault.TRUNCATE_RESPONSE, Fault.LOSE_RESPONSE, Fault.RESET, Fault.STATUS_500, Fault.STATUS_503)) {
                java.util.concurrent.atomic.AtomicInteger gets = new java.util.concurrent.atomic.AtomicInteger();
                proxy.setPlan(req -> req.method().equals("GET") && gets.getAndIncrement() == 0 ? f : Fault.NONE);
                byte[] got;
                try (java.io.InputStream in = backend.openRange(n, 1000, 2 << 20)) {
                    got = in.readAllBytes();
                } catch (java.io.IOException e) {
                    assertTrue(f == Fault.TRUNCATE_RESPONSE, f + " should have been retried: " + e);
                    continue;
                }
                assertArrayEquals(wanted, got, f.toString());
            }
            try (java.io.InputStream in = backend.openRange(n, (3 << 20) - 10, 20)) {
                assertThrows(java.io.EOFException.class, in::readAllBytes, "a range past the end");
            } catch (java.io.EOFException refusedAtOnce) {
                // a server may refuse the range before the body: just as good
            }
        }
    }
}
