package dev.strata.core.error;

/** The repository was written by a newer (or unknown) format version; nothing is read or written. */
public final class UnsupportedFormatException extends UserFacingException {
    public UnsupportedFormatException(String message) {
        super(ExitCode.UNSUPPORTED_FORMAT, message);
    }
}
