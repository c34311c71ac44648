package dev.strata.core.backend.s3;

import dev.strata.core.backend.Backend;
import dev.strata.core.backend.BlobInfo;
import dev.strata.core.backend.BlobName;
import dev.strata.core.backend.BlobType;
import dev.strata.core.backend.s3.testing.FaultyProxy;
import dev.strata.core.backend.s3.testing.S3TestServer;
import dev.strata.core.testing.BackendContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The backend contract against a real S3 server (S3Proxy on loopback), under a prefix, and what only S3 can get wrong. */
class S3BackendTest extends BackendContract {
    static final String PREFIX = "backups/laptop";
    private static final AtomicInteger BUCKETS = new AtomicInteger();
    static S3TestServer server;

    private String bucket;

    @BeforeAll
    static void startServer() throws Exception {
        server = S3TestServer.start();
    }

    @AfterAll
    static void stopServer() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    protected String prefix() {
        return PREFIX;
    }

    @Override
    protected Backend newBackend() throws IOException {
        bucket = "bucket-" + BUCKETS.incrementAndGet();
        server.createBucket(bucket);
        return new S3Backend(settings(null).withMultipart(6 << 20, 5 << 20, 3));
    }

    private S3Settings settings(java.net.URI via) {
        try {
            return server.settings(bucket, prefix(), via);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    protected void putForeignObject(String path, byte[] data) {
        server.putObject(bucket, key(path), data);
    }

    private String key(String path) {
        return prefix().isEmpty() ? path : prefix() + "/" + path;
    }

    @Test
    void blobs_areObjectsUnderThePrefix_withTheLocalNames() throws IOException {
        BlobName pack = randomName(BlobType.PACK);
        backend.put(pack, new byte[] {1, 2});
        backend.put(BlobName.CONFIG, new byte[] {3});
        assertEquals(List.of(key("config"), key(pack.path())), server.keys(bucket).stream().sorted().toList());
        assertTrue(pack.path().startsWith("data/" + pack.name().substring(0, 2) + "/"));
    }

    @Test
    void putFile_ofALargeFile_goesUpInParts_andNothingIsLeftBehind() throws IOException {
        byte[] data = randomBytes(13 << 20);
        Path file = scratch.resolve("pack.tmp");
        Files.write(file, data);
        BlobName name = randomName(BlobType.PACK);

        backend.putFile(name, file);

        assertArrayEquals(data, backend.get(name));
        assertArrayEquals(java.util.Arrays.copyOfRange(data, (5 << 20) - 10, (5 << 20) + 10), backend.read(name, (5 << 20) - 10, 20));
        assertEquals(List.of(new BlobInfo(name, data.length)), backend.list(BlobType.PACK));
        assertEquals(List.of(), server.incompleteUploads(bucket));
        assertFalse(Files.exists(file));
    }

    /** A part that never gets through: the upload is aborted, no object and no upload remain, the file is gone. */
    @Test
    void putFile_whosePartKeepsFailing_leavesNoObjectAndNoUpload() throws Exception {
        byte[] data = randomBytes(12 << 20);
        Path file = scratch.resolve("pack.tmp");
        Files.write(file, data);
        BlobName name = randomName(BlobType.PACK);
        try (FaultyProxy proxy = FaultyProxy.start(server.port(), r -> r.target().contains("partNumber=2")
                ? FaultyProxy.Fault.STATUS_500 : FaultyProxy.Fault.NONE, 0);
             Backend faulty = new S3Backend(settings(proxy.endpoint()).withMultipart(6 << 20, 5 << 20, 3)
                     .withRetries(3, java.time.Duration.ofMillis(1), java.time.Duration.ofMillis(5)))) {
            IOException e = assertThrows(IOException.class, () -> faulty.putFile(name, file));
            assertTrue(e.getMessage().contains("InternalError"), e.getMessage());
            assertEquals(3, proxy.count(FaultyProxy.Fault.STATUS_500), "three tries of part 2");
        }
        assertFalse(backend.exists(name));
        // S3Proxy keeps the parts of an upload as hidden objects of its own (".mpus-<upload>-<part>"),
        // and now and then one of them outlives the abort even though the uploader waits for every
        // part before aborting; no S3 client sees such an object, so only real objects count here.
        assertEquals(List.of(), server.keys(bucket).stream().filter(k -> !k.startsWith(".mpus-")).toList());
        assertEquals(List.of(), server.incompleteUploads(bucket));
        assertFalse(Files.exists(file), "the backend disposes of the file it took, failed or not");
    }

    /** An upload cut halfway every time: no object, not even a short one. */
    @Test
    void put_cutHalfwayEveryTime_storesNothing() throws Exception {
        BlobName name = randomName(BlobType.SNAPSHOT);
        try (FaultyProxy proxy = FaultyProxy.start(server.port(), r -> r.method().equals("PUT")
                ? FaultyProxy.Fault.DROP_UPLOAD : FaultyProxy.Fault.NONE, 0);
             Backend faulty = new S3Backend(settings(proxy.endpoint())
                     .withRetries(3, java.time.Duration.ofMillis(1), java.time.Duration.ofMillis(5)))) {
            assertThrows(IOException.class, () -> faulty.put(name, randomBytes(300_000)));
            assertEquals(3, proxy.count(FaultyProxy.Fault.DROP_UPLOAD));
        }
        assertEquals(List.of(), server.keys(bucket));
    }

    /** What a crashed writer leaves (a started upload) is aborted by removeIncomplete once old enough. */
    @Test
    void removeIncomplete_abortsUploadsStartedBeforeTheTime() throws Exception {
        S3Settings s = settings(null);
        S3Credentials credentials = new S3Credentials(s.env());
        try (var client = S3Clients.build(s, credentials)) {
            client.createMultipartUpload(b -> b.bucket(bucket).key(key("data/00/" + "0".repeat(64))));
        }
        assertEquals(1, server.incompleteUploads(bucket).size());

        assertEquals(0, backend.removeIncomplete(Instant.now().minusSeconds(3600)));
        assertEquals(1, backend.removeIncomplete(Instant.now().plusSeconds(5)));

        assertEquals(List.of(), server.incompleteUploads(bucket));
        assertEquals(List.of(), server.keys(bucket));
    }

    @Test
    void location_isTheS3Url() {
        assertEquals("s3:" + server.endpoint() + "/" + bucket + (prefix().isEmpty() ? "" : "/" + prefix()), backend.location());
        assertTrue(backend.stagingDirectory().isEmpty());
    }
}
