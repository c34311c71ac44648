package dev.strata.core.error;

/**
 * The storage holding a repository could not be used at all: credentials refused, bucket missing,
 * access denied, endpoint unreachable. Whatever job was running cannot go on, so the CLI reports this
 * one line with its own exit code even when a layer above wrapped it with context.
 */
public class StorageAccessException extends UserFacingException {
    public StorageAccessException(ExitCode exitCode, String message, Throwable cause) {
        super(exitCode, message, cause);
    }
}
