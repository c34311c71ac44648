package dev.strata.core.backend.s3;

import dev.strata.core.error.ExitCode;
import dev.strata.core.error.UserFacingException;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.regex.Pattern;

/**
 * Where an S3 repository lives, parsed from {@code s3:https://HOST[:PORT]/BUCKET[/PREFIX]} (or
 * {@code s3:http://…} for a server without TLS). The prefix is the repository's folder inside the
 * bucket, without leading or trailing slashes; empty when the repository fills the bucket.
 */
public record S3Location(URI endpoint, String bucket, String prefix) {
    public static final String SCHEME = "s3:";

    /** Letters, digits, dots, hyphens and underscores: every provider's bucket names and some legacy ones. */
    private static final Pattern BUCKET = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,254}");
    private static final Pattern PREFIX_SEGMENT = Pattern.compile("[A-Za-z0-9._~!$&'()*+,;=:@-]+");

    public S3Location {
        if (endpoint == null || bucket == null || prefix == null) {
            throw new IllegalArgumentException("endpoint, bucket and prefix are required");
        }
    }

    /** Whether {@code repo} names an S3 repository rather than a folder. */
    public static boolean isS3(String repo) {
        return repo != null && repo.startsWith(SCHEME);
    }

    public static S3Location parse(String repo) throws UserFacingException {
        if (!isS3(repo)) {
            throw usage(repo, "it does not start with 's3:'");
        }
        URI uri;
        try {
            uri = new URI(repo.substring(SCHEME.length()));
        } catch (URISyntaxException e) {
            throw usage(repo, e.getReason());
        }
        String scheme = uri.getScheme();
        if (!"https".equalsIgnoreCase(scheme) && !"http".equalsIgnoreCase(scheme)) {
            throw usage(repo, "the endpoint must start with https:// (or http:// for a server without TLS)");
        }
        if (uri.getRawUserInfo() != null) {
            throw usage(repo, "credentials do not belong in the location; set AWS_ACCESS_KEY_ID and "
                    + "AWS_SECRET_ACCESS_KEY or AWS_PROFILE");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw usage(repo, "it names no host");
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw usage(repo, "it has a query or fragment");
        }
        String path = uri.getPath() == null ? "" : uri.getPath();
        while (path.startsWith("/")) {
            path = path.substring(1);
        }
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        if (path.isEmpty()) {
            throw usage(repo, "it names no bucket (s3:https://HOST[:PORT]/BUCKET[/PREFIX])");
        }
        int slash = path.indexOf('/');
        String bucket = slash < 0 ? path : path.substring(0, slash);
        String prefix = slash < 0 ? "" : path.substring(slash + 1);
        if (!BUCKET.matcher(bucket).matches()) {
            throw usage(repo, "'" + bucket + "' is not a bucket name");
        }
        for (String segment : prefix.isEmpty() ? new String[0] : prefix.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..") || !PREFIX_SEGMENT.matcher(segment).matches()) {
                throw usage(repo, "the prefix '" + prefix + "' has an empty, '.', '..' or unusual segment");
            }
        }
        URI endpoint = URI.create(scheme.toLowerCase(java.util.Locale.ROOT) + "://" + uri.getRawAuthority());
        return new S3Location(endpoint, bucket, prefix);
    }

    /** The key of the object at {@code path} (relative, '/'-separated) in this repository. */
    String key(String path) {
        return prefix.isEmpty() ? path : prefix + "/" + path;
    }

    /** What comes before every key of this repository: empty, or the prefix and a slash. */
    String keyRoot() {
        return prefix.isEmpty() ? "" : prefix + "/";
    }

    /** The host name, for telling AWS from other providers and for messages. */
    String host() {
        return endpoint.getHost();
    }

    @Override
    public String toString() {
        return SCHEME + endpoint + "/" + bucket + (prefix.isEmpty() ? "" : "/" + prefix);
    }

    private static UserFacingException usage(String repo, String why) {
        return new UserFacingException(ExitCode.USAGE, "'" + repo + "' is not an S3 location: " + why);
    }
}
