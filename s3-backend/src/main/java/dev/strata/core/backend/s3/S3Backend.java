package dev.strata.core.backend.s3;

import dev.strata.core.backend.Backend;
import dev.strata.core.backend.BlobInfo;
import dev.strata.core.backend.BlobName;
import dev.strata.core.backend.BlobType;
import dev.strata.core.error.ExitCode;
import dev.strata.core.error.UserFacingException;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A backend in an S3 bucket, under an optional prefix, laid out as docs/format.md §1 describes (the
 * same names as a local repository, as object keys). A PUT or a completed multipart upload makes an
 * object appear whole or not at all, so writes are atomic without temporary names; a failed multipart
 * upload is aborted, and uploads a crash left behind are aborted by {@link #removeIncomplete}.
 * Reads of ranges are ranged GETs. Thread-safe.
 *
 * <p>The first request checks the bucket with a one-key listing, which is what tells a missing
 * bucket, refused credentials and a denied request apart (a HEAD's 403 or 404 carries no reason).
 */
public final class S3Backend implements Backend {
    private final S3Settings settings;
    private final S3Location location;
    private final S3Client s3;
    private final S3Errors errors;
    private final WholeAnswers whole;
    private final ExecutorService partPool;
    private volatile boolean bucketChecked;

    public S3Backend(S3Settings settings) throws UserFacingException {
        this.settings = settings;
        this.location = settings.location();
        S3Credentials credentials = new S3Credentials(settings.env());
        this.s3 = S3Clients.build(settings, credentials);
        this.errors = new S3Errors(location, credentials);
        this.whole = new WholeAnswers(settings, errors);
        AtomicInteger n = new AtomicInteger();
        this.partPool = Executors.newFixedThreadPool(settings.partThreads(), r -> {
            Thread t = new Thread(r, "strata-s3-part-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** Refuses a bucket or prefix that holds objects already: a repository is never mixed into other data. */
    @Override
    public void create() throws IOException {
        checkBucket();
        ListObjectsV2Response first = firstKey();
        if (!first.contents().isEmpty()) {
            throw new UserFacingException(ExitCode.ALREADY_EXISTS, location + " holds objects already; a new repository "
                    + "needs an empty bucket or an unused prefix");
        }
    }

    @Override
    public void put(BlobName name, byte[] data) throws IOException {
        checkBucket();
        String key = key(name);
        String md5 = FileRegion.md5(data);
        call("store " + name, () -> s3.putObject(b -> b.bucket(location.bucket()).key(key).contentLength((long) data.length)
                .contentMD5(md5), RequestBody.fromBytes(data)));
    }

    /** Uploads the file (in parts when large) and deletes it, whether or not the upload succeeded. */
    @Override
    public void putFile(BlobName name, Path file) throws IOException {
        try {
            checkBucket();
            String key = key(name);
            long size = Files.size(file);
            if (size > settings.multipartThreshold()) {
                new MultipartUploader(s3, location, errors, whole, partPool, settings.partSize()).upload(key, file, size);
            } else {
                FileRegion whole = new FileRegion(file, 0, size);
                String md5 = whole.md5();
                call("store " + name, () -> s3.putObject(b -> b.bucket(location.bucket()).key(key).contentLength(size)
                        .contentMD5(md5), whole.body()));
            }
        } finally {
            Files.deleteIfExists(file);
        }
    }

    @Override
    public byte[] get(BlobName name) throws IOException {
        checkBucket();
        String key = key(name);
        try {
            return whole.getOrThrow("read " + name, () -> s3.getObjectAsBytes(b -> b.bucket(location.bucket()).key(key)),
                    S3Backend::wholeBody).asByteArrayUnsafe();
        } catch (NoSuchKeyException e) {
            throw missing(name);
        } catch (SdkException e) {
            throw errors.map(e, "read " + name);
        }
    }

    @Override
    public byte[] read(BlobName name, long offset, int length) throws IOException {
        if (offset < 0 || length < 0) {
            throw new IllegalArgumentException("bad range " + offset + "+" + length + " of " + name);
        }
        if (length == 0) {
            long size = size(name);
            if (offset > size) {
                throw new EOFException(name + " ends at " + size + ", before " + offset);
            }
            return new byte[0];
        }
        checkBucket();
        String key = key(name);
        String range = "bytes=" + offset + "-" + (offset + length - 1);
        ResponseBytes<GetObjectResponse> got;
        try {
            got = whole.getOrThrow("read " + range + " of " + name,
                    () -> s3.getObjectAsBytes(b -> b.bucket(location.bucket()).key(key).range(range)), S3Backend::wholeBody);
        } catch (SdkException e) {
            throw rangeFailure(e, name, offset, range);
        }
        byte[] bytes = got.asByteArrayUnsafe();
        if (bytes.length < length) {
            throw new EOFException(name + " ends at " + (offset + bytes.length) + ", before " + (offset + length));
        }
        if (bytes.length > length) {
            // A server that ignored the range sent the whole object.
            if (got.response().contentRange() == null && bytes.length >= offset + length) {
                return java.util.Arrays.copyOfRange(bytes, (int) offset, (int) offset + length);
            }
            throw new IOException("read " + range + " of " + name + " in " + location + ": got " + bytes.length + " bytes");
        }
        return bytes;
    }

    /**
     * One ranged GET whose body is read as it arrives (the SDK retries the request itself, not a body
     * that breaks later: the caller opens the rest again).
     */
    @Override
    public InputStream openRange(BlobName name, long offset, long length) throws IOException {
        if (offset < 0 || length < 0) {
            throw new IllegalArgumentException("bad range " + offset + "+" + length + " of " + name);
        }
        if (length == 0) {
            return InputStream.nullInputStream();
        }
        checkBucket();
        String key = key(name);
        String range = "bytes=" + offset + "-" + (offset + length - 1);
        ResponseInputStream<GetObjectResponse> body;
        try {
            body = s3.getObject(b -> b.bucket(location.bucket()).key(key).range(range));
        } catch (SdkException e) {
            throw rangeFailure(e, name, offset, range);
        }
        return new RangeBody(body, name + " (" + range + ") in " + location, offset, length);
    }

    /** What a failed ranged GET means: a missing blob, a range past its end, or the error as mapped. */
    private IOException rangeFailure(SdkException e, BlobName name, long offset, String range) {
        if (e instanceof NoSuchKeyException) {
            return missing(name);
        }
        if (e instanceof S3Exception s3e && s3e.statusCode() == 416) {
            return new EOFException(name + " ends before " + offset + " (" + range + " not satisfiable)");
        }
        return errors.map(e, "read " + range + " of " + name);
    }

    @Override
    public long size(BlobName name) throws IOException {
        checkBucket();
        String key = key(name);
        try {
            return s3.headObject(b -> b.bucket(location.bucket()).key(key)).contentLength();
        } catch (NoSuchKeyException e) {
            throw missing(name);
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                throw missing(name);
            }
            throw errors.map(e, "look up " + name);
        } catch (SdkException e) {
            throw errors.map(e, "look up " + name);
        }
    }

    @Override
    public boolean exists(BlobName name) throws IOException {
        try {
            size(name);
            return true;
        } catch (NoSuchFileException e) {
            return false;
        }
    }

    @Override
    public List<BlobInfo> list(BlobType type) throws IOException {
        checkBucket();
        List<BlobInfo> out = new ArrayList<>();
        if (type == BlobType.CONFIG) {
            try {
                out.add(new BlobInfo(BlobName.CONFIG, size(BlobName.CONFIG)));
            } catch (NoSuchFileException none) {
                // no config yet
            }
            return out;
        }
        String root = location.keyRoot();
        String folder = root + type.folder() + "/";
        String token = null;
        do {
            String after = token;
            ListObjectsV2Response page = whole.get("list " + type.folder(), () -> s3.listObjectsV2(b -> b.bucket(location.bucket())
                    .prefix(folder).continuationToken(after)), S3Backend::wholeListing);
            for (S3Object o : page.contents()) {
                blobAt(type, o.key().substring(root.length())).ifPresent(n -> out.add(new BlobInfo(n, o.size())));
            }
            token = page.isTruncated() ? page.nextContinuationToken() : null;
        } while (token != null);
        return out;
    }

    /** The blob a key (relative to the repository) holds, if it is exactly where a blob of the type would be. */
    private static Optional<BlobName> blobAt(BlobType type, String relative) {
        String fileName = relative.substring(relative.lastIndexOf('/') + 1);
        if (fileName.length() != type.hexNameLength()) {
            return Optional.empty();
        }
        BlobName name;
        try {
            name = BlobName.of(type, fileName);
        } catch (IllegalArgumentException notOurs) {
            return Optional.empty();
        }
        // Anything else (a pack under another folder, a copy in a subfolder) cannot be read by its name.
        return name.path().equals(relative) ? Optional.of(name) : Optional.empty();
    }

    @Override
    public void delete(BlobName name) throws IOException {
        checkBucket();
        String key = key(name);
        call("delete " + name, () -> s3.deleteObject(b -> b.bucket(location.bucket()).key(key)));
    }

    /** Aborts the multipart uploads under this repository's prefix started before {@code before} (a crashed writer's). */
    @Override
    public int removeIncomplete(Instant before) throws IOException {
        checkBucket();
        int n = 0;
        try {
            for (MultipartUpload u : s3.listMultipartUploadsPaginator(b -> b.bucket(location.bucket())
                    .prefix(location.keyRoot())).uploads()) {
                if (u.initiated() != null && u.initiated().isBefore(before)) {
                    s3.abortMultipartUpload(b -> b.bucket(location.bucket()).key(u.key()).uploadId(u.uploadId()));
                    n++;
                }
            }
        } catch (S3Exception e) {
            if (e.statusCode() != 404) {
                throw errors.map(e, "abort incomplete uploads");
            }
        } catch (SdkException e) {
            throw errors.map(e, "abort incomplete uploads");
        }
        return n;
    }

    /** None: staged packs go to the local cache folder and are uploaded from there. */
    @Override
    public Optional<Path> stagingDirectory() {
        return Optional.empty();
    }

    @Override
    public String location() {
        return location.toString();
    }

    public S3Location s3Location() {
        return location;
    }

    @Override
    public void close() {
        partPool.shutdownNow();
        s3.close();
    }

    private String key(BlobName name) {
        return location.key(name.path());
    }

    private NoSuchFileException missing(BlobName name) {
        return new NoSuchFileException(name.path(), null, "no such blob in " + location);
    }

    /**
     * Lists one key of the repository's prefix once per backend, so that a missing bucket, refused
     * credentials or a denied listing are reported as such before anything else is tried.
     */
    private void checkBucket() throws IOException {
        if (bucketChecked) {
            return;
        }
        firstKey();
        bucketChecked = true;
    }

    private ListObjectsV2Response firstKey() throws IOException {
        return whole.get("list the repository", () -> s3.listObjectsV2(b -> b.bucket(location.bucket())
                .prefix(location.keyRoot()).maxKeys(1)), S3Backend::wholeListing);
    }

    /** A body as long as its Content-Length says (S3 sends one with every object; the HTTP client enforces it too). */
    private static boolean wholeBody(ResponseBytes<GetObjectResponse> got) {
        Long length = got.response().contentLength();
        return length == null || length == got.asByteArrayUnsafe().length;
    }

    /** Every listing answer names its bucket and says whether more follow; a cut one does not. */
    private static boolean wholeListing(ListObjectsV2Response page) {
        return page.name() != null && page.isTruncated() != null
                && (page.keyCount() == null || page.keyCount() == page.contents().size())
                && (!page.isTruncated() || page.nextContinuationToken() != null);
    }

    private interface Request<T> {
        T send();
    }

    private <T> T call(String what, Request<T> request) throws IOException {
        try {
            return request.send();
        } catch (SdkException e) {
            throw errors.map(e, what);
        }
    }
}
