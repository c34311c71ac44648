package dev.strata.core.backend.s3.testing;

import dev.strata.core.backend.s3.S3Location;
import dev.strata.core.backend.s3.S3Settings;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStore;
import org.jclouds.blobstore.BlobStoreContext;
import org.jclouds.blobstore.domain.MultipartUpload;
import org.jclouds.blobstore.domain.StorageMetadata;
import org.jclouds.blobstore.options.ListContainerOptions;

import org.jclouds.rest.AuthorizationException;

import java.io.IOException;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A real S3 server for tests: S3Proxy in this JVM on 127.0.0.1 at a free port, over an in-memory
 * (jclouds transient) blob store, checking AWS signatures with a fixed test key. Stopped by
 * {@link #close()}. Thread-safe.
 */
public final class S3TestServer implements AutoCloseable {
    public static final String ACCESS_KEY = "strata-test-key";
    public static final String SECRET_KEY = "strata-test-secret";

    private final BlobStoreContext context;
    private final S3Proxy proxy;
    private final boolean tls;
    private final Set<String> denied;

    private S3TestServer(BlobStoreContext context, S3Proxy proxy, boolean tls, Set<String> denied) {
        this.context = context;
        this.proxy = proxy;
        this.tls = tls;
        this.denied = denied;
    }

    /** Starts a server speaking plain HTTP. */
    public static S3TestServer start() throws Exception {
        return start(null, null);
    }

    /** Starts a server speaking HTTPS with the key and certificate of a JKS or PKCS#12 keystore. */
    public static S3TestServer startTls(Path keyStore, String password) throws Exception {
        return start(keyStore, password);
    }

    private static S3TestServer start(Path keyStore, String password) throws Exception {
        BlobStoreContext context = ContextBuilder.newBuilder("transient").credentials("identity", "credential")
                .overrides(new Properties()).build(BlobStoreContext.class);
        Set<String> denied = ConcurrentHashMap.newKeySet();
        S3Proxy.Builder b = S3Proxy.builder().blobStore(denying(context.getBlobStore(), denied))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                .jettyMaxThreads(32);
        if (keyStore == null) {
            b.endpoint(URI.create("http://127.0.0.1:0"));
        } else {
            b.secureEndpoint(URI.create("https://127.0.0.1:0")).keyStore(keyStore.toString(), password);
        }
        S3Proxy proxy = b.build();
        try {
            proxy.start();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!"STARTED".equals(proxy.getState())) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("S3Proxy did not start: " + proxy.getState());
                }
                Thread.sleep(10);
            }
        } catch (Exception e) {
            proxy.stop();
            context.close();
            throw e;
        }
        return new S3TestServer(context, proxy, keyStore != null, denied);
    }

    /**
     * The blob store, refusing every operation on the buckets in {@code denied} as a bucket policy
     * would: S3Proxy answers jclouds' AuthorizationException with 403 AccessDenied.
     */
    private static BlobStore denying(BlobStore store, Set<String> denied) {
        InvocationHandler h = (self, method, args) -> {
            if (args != null && args.length > 0) {
                Object first = args[0];
                String bucket = first instanceof String ? (String) first
                        : first instanceof MultipartUpload ? ((MultipartUpload) first).containerName() : null;
                if (bucket != null && denied.contains(bucket)) {
                    throw new AuthorizationException("denied by the test server's policy on " + bucket);
                }
            }
            try {
                return method.invoke(store, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        };
        return (BlobStore) Proxy.newProxyInstance(BlobStore.class.getClassLoader(), new Class<?>[] {BlobStore.class}, h);
    }

    /** Makes every request on {@code bucket} answer 403 AccessDenied from now on. */
    public void denyBucket(String bucket) {
        denied.add(bucket);
    }

    public int port() {
        return tls ? proxy.getSecurePort() : proxy.getPort();
    }

    /** {@code http://127.0.0.1:PORT} (or https). */
    public URI endpoint() {
        return URI.create((tls ? "https" : "http") + "://127.0.0.1:" + port());
    }

    public void createBucket(String bucket) {
        context.getBlobStore().createContainerInLocation(null, bucket);
    }

    /** The repository location {@code s3:http://127.0.0.1:PORT/BUCKET[/PREFIX]} on this server. */
    public String repo(String bucket, String prefix) {
        return "s3:" + endpoint() + "/" + bucket + (prefix.isEmpty() ? "" : "/" + prefix);
    }

    /** The environment a client of this server needs: its key. */
    public Map<String, String> env() {
        return Map.of("AWS_ACCESS_KEY_ID", ACCESS_KEY, "AWS_SECRET_ACCESS_KEY", SECRET_KEY);
    }

    /** Settings for a backend on this server (or on {@code via}, a proxy in front of it) that retry quickly. */
    public S3Settings settings(String bucket, String prefix, URI via) throws Exception {
        URI endpoint = via == null ? endpoint() : via;
        S3Location location = S3Location.parse("s3:" + endpoint + "/" + bucket + (prefix.isEmpty() ? "" : "/" + prefix));
        return S3Settings.of(location, env()).withRetries(10, Duration.ofMillis(5), Duration.ofMillis(100));
    }

    public S3Settings settings(String bucket, String prefix) throws Exception {
        return settings(bucket, prefix, null);
    }

    /** Writes an object without going through Strata, as another program could. */
    public void putObject(String bucket, String key, byte[] data) {
        BlobStore store = context.getBlobStore();
        store.putBlob(bucket, store.blobBuilder(key).payload(data).contentLength((long) data.length).build());
    }

    /** Every object key in the bucket, as the server has them. */
    public List<String> keys(String bucket) {
        BlobStore store = context.getBlobStore();
        List<String> out = new ArrayList<>();
        String marker = null;
        do {
            ListContainerOptions options = ListContainerOptions.Builder.recursive();
            if (marker != null) {
                options.afterMarker(marker);
            }
            var page = store.list(bucket, options);
            for (StorageMetadata m : page) {
                if (m.getType() == org.jclouds.blobstore.domain.StorageType.BLOB) {
                    out.add(m.getName());
                }
            }
            marker = page.getNextMarker();
        } while (marker != null);
        return out;
    }

    public long size(String bucket, String key) {
        return context.getBlobStore().blobMetadata(bucket, key).getContentMetadata().getContentLength();
    }

    /** The multipart uploads in the bucket that were neither completed nor aborted. */
    public List<String> incompleteUploads(String bucket) {
        List<String> out = new ArrayList<>();
        for (MultipartUpload u : context.getBlobStore().listMultipartUploads(bucket)) {
            out.add(u.blobName() + " " + u.id());
        }
        return out;
    }

    /**
     * The incomplete multipart uploads of {@code bucket} that hold at least one part: data stored half.
     * (An upload whose start was answered but whose answer never arrived holds none: its id was never
     * known, so nothing was sent to it; prune aborts such uploads once they are old.)
     */
    public List<String> incompleteUploadsWithParts(String bucket) {
        List<String> out = new ArrayList<>();
        for (MultipartUpload u : context.getBlobStore().listMultipartUploads(bucket)) {
            int parts = context.getBlobStore().listMultipartUpload(u).size();
            if (parts > 0) {
                out.add(u.blobName() + " " + u.id() + " (" + parts + " parts)");
            }
        }
        return out;
    }

    @Override
    public void close() throws IOException {
        try {
            proxy.stop();
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException("stop S3Proxy", e);
        } finally {
            context.close();
        }
    }
}
