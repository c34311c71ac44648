package dev.strata.core.backend.s3;

import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * One file sent as a multipart upload: parts in parallel on the backend's pool, each with its
 * Content-MD5 and the SDK's retries, then completed; on any failure the upload is aborted, so the
 * object either appears whole (completion is atomic) or not at all. Confined to the calling thread.
 */
final class MultipartUploader {
    private final S3Client s3;
    private final S3Location location;
    private final S3Errors errors;
    private final WholeAnswers whole;
    private final ExecutorService parts;
    private final int partSize;
    /** Completions tried when answers are lost; the pauses between them add up to 3 s. */
    private static final int COMPLETION_ATTEMPTS = 5;

    MultipartUploader(S3Client s3, S3Location location, S3Errors errors, WholeAnswers whole, ExecutorService parts,
                      int partSize) {
        this.s3 = s3;
        this.location = location;
        this.errors = errors;
        this.whole = whole;
        this.parts = parts;
        this.partSize = partSize;
    }

    void upload(String key, Path file, long size) throws IOException {
        // An answer cut short has no upload id; the upload it started is never used, and prune aborts it.
        String uploadId = whole.get("start the upload of " + key,
                () -> s3.createMultipartUpload(b -> b.bucket(location.bucket()).key(key)), r -> r.uploadId() != null).uploadId();
        List<Future<CompletedPart>> sent = new ArrayList<>();
        try {
            int number = 1;
            for (long offset = 0; offset < size; offset += partSize, number++) {
                FileRegion region = new FileRegion(file, offset, Math.min(partSize, size - offset));
                int partNumber = number;
                sent.add(parts.submit(() -> uploadPart(key, uploadId, partNumber, region)));
            }
            List<CompletedPart> done = new ArrayList<>(sent.size());
            for (Future<CompletedPart> f : sent) {
                done.add(f.get());
            }
            complete(key, uploadId, done, size);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            abort(key, uploadId, sent, null);
            throw new InterruptedIOException("interrupted while uploading " + key);
        } catch (ExecutionException e) {
            IOException failure = e.getCause() instanceof IOException ? (IOException) e.getCause()
                    : new IOException("upload " + key + " to " + location + ": " + e.getCause(), e.getCause());
            abort(key, uploadId, sent, failure);
            throw failure;
        } catch (IOException | RuntimeException e) {
            abort(key, uploadId, sent, e);
            throw e;
        }
    }

    private CompletedPart uploadPart(String key, String uploadId, int partNumber, FileRegion region) throws IOException {
        String md5 = region.md5();
        try {
            String etag = s3.uploadPart(b -> b.bucket(location.bucket()).key(key).uploadId(uploadId).partNumber(partNumber)
                    .contentLength(region.length()).contentMD5(md5), region.body()).eTag();
            return CompletedPart.builder().partNumber(partNumber).eTag(etag).build();
        } catch (SdkException e) {
            throw errors.map(e, "upload part " + partNumber + " of " + key);
        }
    }

    /**
     * Completes the upload. An answer that is lost, or cut short so that it holds no ETag, says
     * nothing: the server may have completed the upload, may still be completing it (a server may
     * send its 200 head first and the result when done), or may have given up with the connection.
     * So such an answer is followed by a look at the object and, when it is not there whole, by
     * another completion — which completes the upload, or finds none (NoSuchUpload on S3, InvalidPart
     * on some servers) because the first one did. Packs are named by their content, so an object of
     * this name and size is this upload, whole: completion is atomic.
     */
    private void complete(String key, String uploadId, List<CompletedPart> done, long size) throws IOException {
        SdkException last = null;
        for (int attempt = 0; attempt < COMPLETION_ATTEMPTS; attempt++) {
            if (attempt > 0) {
                pause(attempt);
            }
            try {
                String etag = s3.completeMultipartUpload(b -> b.bucket(location.bucket()).key(key).uploadId(uploadId)
                        .multipartUpload(m -> m.parts(done))).eTag();
                if (etag != null) {
                    return;
                }
            } catch (SdkException e) {
                last = e;
            }
            if (sizeOf(key) == size) {
                return;
            }
        }
        if (last != null) {
            throw errors.map(last, "complete the upload of " + key);
        }
        throw new IOException("complete the upload of " + key + " in " + location
                + ": the server's answers were cut short and the object is not there");
    }

    private static void pause(int attempt) throws InterruptedIOException {
        try {
            Thread.sleep(200L << (attempt - 1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while completing an upload");
        }
    }

    private long sizeOf(String key) {
        try {
            return s3.headObject(b -> b.bucket(location.bucket()).key(key)).contentLength();
        } catch (SdkException e) {
            return -1;
        }
    }

    /**
     * Stops the parts not yet started, waits for those being sent, and then aborts the upload, so the
     * server keeps none of it. A part being sent is not interrupted: a cancelled future answers at
     * once while its request may still be under way, and a part that lands after the abort would stay
     * on the server (S3 says to abort again in that case; waiting first makes it unnecessary).
     */
    private void abort(String key, String uploadId, List<Future<CompletedPart>> sent, Throwable failure) {
        for (Future<CompletedPart> f : sent) {
            f.cancel(false);
        }
        boolean interrupted = false;
        for (Future<CompletedPart> f : sent) {
            while (true) {
                try {
                    f.get();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (Exception ignored) {
                    // cancelled before it started, or failed: either way it sends nothing more
                    break;
                }
            }
        }
        try {
            s3.abortMultipartUpload(b -> b.bucket(location.bucket()).key(key).uploadId(uploadId));
        } catch (SdkException e) {
            // What is left is an incomplete upload, never an object; prune aborts old ones.
            if (failure != null) {
                failure.addSuppressed(e);
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
