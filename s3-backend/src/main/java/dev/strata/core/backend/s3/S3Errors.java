package dev.strata.core.backend.s3;

import dev.strata.core.error.ExitCode;
import dev.strata.core.error.StorageAccessException;
import dev.strata.core.error.UserFacingException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.S3Exception;

import javax.net.ssl.SSLException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.Set;

/**
 * Turns what the SDK throws into Strata's errors: the failures no retry can mend (credentials,
 * bucket, permission, endpoint) become one clear line with their own exit code, everything else an
 * {@link IOException} that says which request failed and what the server answered. Stateless.
 */
final class S3Errors {
    private static final Set<String> BAD_CREDENTIALS = Set.of("InvalidAccessKeyId", "SignatureDoesNotMatch",
            "InvalidToken", "ExpiredToken", "TokenRefreshRequired", "InvalidSecurity", "AuthorizationHeaderMalformed");
    private static final Set<String> DENIED = Set.of("AccessDenied", "AllAccessDisabled", "AccountProblem");

    private final S3Location location;
    private final S3Credentials credentials;

    S3Errors(S3Location location, S3Credentials credentials) {
        this.location = location;
        this.credentials = credentials;
    }

    /** The error to throw for {@code e}, raised while doing {@code what} ("read data/ab/ab12…"). */
    IOException map(SdkException e, String what) {
        if (e instanceof S3Exception) {
            return mapService((S3Exception) e, what);
        }
        Throwable reason = rootOfKind(e);
        if (reason instanceof SSLException) {
            return new StorageAccessException(ExitCode.UNREACHABLE, "cannot reach " + location.endpoint() + " over TLS: "
                    + reason.getMessage() + " (a private CA? pass its certificate with --s3-ca FILE)", e);
        }
        if (reason != null) {
            return new StorageAccessException(ExitCode.UNREACHABLE, "cannot reach " + location.endpoint() + ": "
                    + describe(reason), e);
        }
        if (e instanceof SdkClientException && String.valueOf(e.getMessage()).contains("Unable to load credentials")) {
            return new StorageAccessException(ExitCode.CREDENTIALS_REJECTED, "no S3 credentials for " + location
                    + ": set " + credentials.describe(), e);
        }
        return new IOException(what + " in " + location + ": " + e.getMessage(), e);
    }

    private IOException mapService(S3Exception e, String what) {
        String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
        String says = code == null ? "status " + e.statusCode() : code + ", status " + e.statusCode();
        if (code != null && BAD_CREDENTIALS.contains(code)) {
            return new StorageAccessException(ExitCode.CREDENTIALS_REJECTED, location.endpoint() + " refused the credentials ("
                    + says + "); check " + credentials.describe(), e);
        }
        if ("NoSuchBucket".equals(code)) {
            return new StorageAccessException(ExitCode.BUCKET_NOT_FOUND, "bucket '" + location.bucket() + "' does not exist at "
                    + location.endpoint() + "; create it first (aws s3 mb, mc mb, radosgw-admin)", e);
        }
        if ((code != null && DENIED.contains(code)) || (code == null && e.statusCode() == 403)) {
            return new StorageAccessException(ExitCode.ACCESS_DENIED, location.endpoint() + " denied " + what + " in bucket '"
                    + location.bucket() + "' (" + says + "); the credentials lack a permission", e);
        }
        if (e.statusCode() == 301 || "PermanentRedirect".equals(code) || "IncorrectEndpoint".equals(code)) {
            String region = e.awsErrorDetails() == null || e.awsErrorDetails().sdkHttpResponse() == null ? null
                    : e.awsErrorDetails().sdkHttpResponse().firstMatchingHeader("x-amz-bucket-region").orElse(null);
            return new UserFacingException(ExitCode.USAGE, "bucket '" + location.bucket() + "' is not served at "
                    + location.endpoint() + (region == null ? "" : "; it is in region " + region + " (--s3-region " + region + ")"), e);
        }
        return new IOException(what + " in " + location + ": " + says + ": " + e.awsErrorDetails().errorMessage(), e);
    }

    /** The network failure at the bottom of {@code e}, if it is one that means the endpoint cannot be reached. */
    private static Throwable rootOfKind(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof UnknownHostException || t instanceof ConnectException || t instanceof NoRouteToHostException
                    || t instanceof SSLException || isConnectTimeout(t)) {
                return t;
            }
        }
        return null;
    }

    private static boolean isConnectTimeout(Throwable t) {
        // Apache's ConnectTimeoutException is an InterruptedIOException; its name is what we can rely on.
        return t.getClass().getSimpleName().equals("ConnectTimeoutException")
                || (t instanceof SocketTimeoutException && String.valueOf(t.getMessage()).toLowerCase().contains("connect"));
    }

    private static String describe(Throwable t) {
        if (t instanceof UnknownHostException) {
            return "unknown host " + t.getMessage();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }
}
