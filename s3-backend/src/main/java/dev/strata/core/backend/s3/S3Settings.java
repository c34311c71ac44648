package dev.strata.core.backend.s3;

import dev.strata.core.error.ExitCode;
import dev.strata.core.error.UserFacingException;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * Everything that decides how the S3 backend talks to its server: the location, region, addressing,
 * trusted CAs, the environment credentials come from, retries, timeouts and multipart sizes.
 *
 * @param region             the signing region, or null to take it from the environment, the profile or
 *                           the host name ({@code s3.eu-west-1.amazonaws.com}), else {@code us-east-1}
 * @param caFile             a PEM file of the certificate authorities to trust instead of the JDK's, or null
 * @param env                the environment the credentials and profile files are looked up in
 * @param maxAttempts        tries of one request (first try included) before a failure is reported
 * @param multipartThreshold a file of more bytes than this goes up in a multipart upload
 * @param partSize           bytes per part of a multipart upload (S3 needs at least 5 MiB)
 * @param partThreads        parts of one upload sent at the same time
 */
public record S3Settings(S3Location location, String region, Addressing addressing, Path caFile,
                         Map<String, String> env, int maxAttempts, Duration baseDelay, Duration maxDelay,
                         Duration connectTimeout, Duration socketTimeout, long multipartThreshold, int partSize,
                         int partThreads) {

    /** How the bucket is named in a request: in the path ({@code host/bucket/key}) or the host name. */
    public enum Addressing {
        /** Virtual-host on AWS (amazonaws.com), path-style everywhere else (MinIO, Ceph RGW, an IP address). */
        AUTO,
        PATH,
        VIRTUAL;

        public static Addressing parse(String s) throws UserFacingException {
            try {
                return valueOf(s.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new UserFacingException(ExitCode.USAGE, "unknown S3 addressing '" + s + "': use auto, path or virtual");
            }
        }
    }

    public static final int MIN_PART_SIZE = 5 << 20;

    public S3Settings {
        env = Map.copyOf(env);
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts " + maxAttempts);
        }
        if (partSize < MIN_PART_SIZE || multipartThreshold < partSize || partThreads < 1) {
            throw new IllegalArgumentException("multipart threshold " + multipartThreshold + ", part size " + partSize
                    + ", threads " + partThreads);
        }
    }

    /**
     * The settings for {@code location} with what {@code env} says: {@code STRATA_S3_REGION} (else the
     * SDK's {@code AWS_REGION}, {@code AWS_DEFAULT_REGION}), {@code STRATA_S3_ADDRESSING},
     * {@code STRATA_S3_CA} (else {@code AWS_CA_BUNDLE}), {@code STRATA_S3_RETRIES}; the rest defaults.
     */
    public static S3Settings of(S3Location location, Map<String, String> env) throws UserFacingException {
        String region = firstSet(env, "STRATA_S3_REGION", "AWS_REGION", "AWS_DEFAULT_REGION");
        String addressing = firstSet(env, "STRATA_S3_ADDRESSING");
        String ca = firstSet(env, "STRATA_S3_CA", "AWS_CA_BUNDLE");
        String retries = firstSet(env, "STRATA_S3_RETRIES");
        int attempts = 6;
        if (retries != null) {
            try {
                attempts = Integer.parseInt(retries.trim()) + 1;
            } catch (NumberFormatException e) {
                attempts = 0;
            }
            if (attempts < 1 || attempts > 101) {
                throw new UserFacingException(ExitCode.USAGE, "STRATA_S3_RETRIES must be a number from 0 to 100, not '" + retries + "'");
            }
        }
        return new S3Settings(location, region, addressing == null ? Addressing.AUTO : Addressing.parse(addressing),
                ca == null ? null : Path.of(ca), env, attempts, Duration.ofMillis(300), Duration.ofSeconds(15),
                Duration.ofSeconds(10), Duration.ofSeconds(60), 16L << 20, 16 << 20, 4);
    }

    public S3Settings withRegion(String newRegion) {
        return new S3Settings(location, newRegion, addressing, caFile, env, maxAttempts, baseDelay, maxDelay,
                connectTimeout, socketTimeout, multipartThreshold, partSize, partThreads);
    }

    public S3Settings withAddressing(Addressing newAddressing) {
        return new S3Settings(location, region, newAddressing, caFile, env, maxAttempts, baseDelay, maxDelay,
                connectTimeout, socketTimeout, multipartThreshold, partSize, partThreads);
    }

    public S3Settings withCaFile(Path newCaFile) {
        return new S3Settings(location, region, addressing, newCaFile, env, maxAttempts, baseDelay, maxDelay,
                connectTimeout, socketTimeout, multipartThreshold, partSize, partThreads);
    }

    public S3Settings withRetries(int newMaxAttempts, Duration newBaseDelay, Duration newMaxDelay) {
        return new S3Settings(location, region, addressing, caFile, env, newMaxAttempts, newBaseDelay, newMaxDelay,
                connectTimeout, socketTimeout, multipartThreshold, partSize, partThreads);
    }

    public S3Settings withTimeouts(Duration newConnectTimeout, Duration newSocketTimeout) {
        return new S3Settings(location, region, addressing, caFile, env, maxAttempts, baseDelay, maxDelay,
                newConnectTimeout, newSocketTimeout, multipartThreshold, partSize, partThreads);
    }

    public S3Settings withMultipart(long newThreshold, int newPartSize, int newPartThreads) {
        return new S3Settings(location, region, addressing, caFile, env, maxAttempts, baseDelay, maxDelay,
                connectTimeout, socketTimeout, newThreshold, newPartSize, newPartThreads);
    }

    /** Whether requests name the bucket in the path. */
    boolean pathStyle() {
        switch (addressing) {
            case PATH:
                return true;
            case VIRTUAL:
                return false;
            default:
                return !isAws(location.host());
        }
    }

    static boolean isAws(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        return h.equals("amazonaws.com") || h.endsWith(".amazonaws.com") || h.endsWith(".amazonaws.com.cn");
    }

    private static String firstSet(Map<String, String> env, String... names) {
        for (String n : names) {
            String v = env.get(n);
            if (v != null && !v.isBlank()) {
                return v;
            }
        }
        return null;
    }
}
