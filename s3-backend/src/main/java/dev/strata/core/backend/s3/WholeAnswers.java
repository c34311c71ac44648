package dev.strata.core.backend.s3;

import software.amazon.awssdk.core.exception.SdkException;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;

/**
 * Sends a request again when its answer parsed but was cut short. An XML answer sent in chunks (a
 * listing, the start or end of a multipart upload) whose connection closes right after its head
 * reaches the SDK as an empty, successful answer: an empty listing would make every blob look
 * deleted. Each caller says what a whole answer has. Thread-safe.
 */
final class WholeAnswers {
    /** One SDK call; its own retries have run when it returns or throws. */
    interface Request<T> {
        T send();
    }

    private final S3Settings settings;
    private final S3Errors errors;

    WholeAnswers(S3Settings settings, S3Errors errors) {
        this.settings = settings;
        this.errors = errors;
    }

    /** The answer of {@code request} that satisfies {@code whole}, trying up to the settings' attempts. */
    <T> T get(String what, Request<T> request, Predicate<T> whole) throws IOException {
        try {
            return getOrThrow(what, request, whole);
        } catch (SdkException e) {
            throw errors.map(e, what);
        }
    }

    /** As {@link #get}, but what the SDK throws is left to the caller (a missing key is no failure there). */
    <T> T getOrThrow(String what, Request<T> request, Predicate<T> whole) throws IOException {
        for (int attempt = 1; ; attempt++) {
            T answer = request.send();
            if (whole.test(answer)) {
                return answer;
            }
            if (attempt >= settings.maxAttempts()) {
                throw new IOException(what + " in " + settings.location() + ": the answer was cut short " + attempt + " times");
            }
            pause(attempt);
        }
    }

    private void pause(int attempt) throws InterruptedIOException {
        long cap = settings.maxDelay().toMillis();
        long base = settings.baseDelay().toMillis() << Math.min(attempt - 1, 20);
        long millis = ThreadLocalRandom.current().nextLong(Math.max(1, Math.min(cap, base)) + 1);
        try {
            Thread.sleep(Duration.ofMillis(millis).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting to ask again");
        }
    }
}
