package dev.strata.core.error;

/**
 * The process exit codes of the {@code strata} command. They are documented in the README and never
 * renumbered: scripts depend on them.
 */
public enum ExitCode {
    OK(0),
    /** Something failed; the message says what. */
    FAILURE(1),
    /** The command line was wrong. */
    USAGE(2),
    /** The job finished but left something out (unreadable files, damaged data); it is listed. */
    INCOMPLETE(3),
    NOT_A_REPOSITORY(10),
    WRONG_PASSWORD(11),
    UNSUPPORTED_FORMAT(12),
    LOCKED(13),
    /** An integrity check found damaged or missing data. */
    CORRUPT(14),
    /** A snapshot, key or path named on the command line does not exist. */
    NOT_FOUND(15),
    /** The target already exists (a repository, a key that is in use). */
    ALREADY_EXISTS(16),
    /** Object storage refused the credentials (an unknown key, a wrong secret), or none were found. */
    CREDENTIALS_REJECTED(20),
    /** The bucket named in an object storage location does not exist. */
    BUCKET_NOT_FOUND(21),
    /** Object storage accepted the credentials but denied the request (a policy, an ACL). */
    ACCESS_DENIED(22),
    /** The storage endpoint could not be reached (refused, unknown host, timed out, TLS failed). */
    UNREACHABLE(23);

    private final int code;

    ExitCode(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }
}
