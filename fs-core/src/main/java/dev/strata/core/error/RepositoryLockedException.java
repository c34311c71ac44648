package dev.strata.core.error;

/** Another process holds a lock that conflicts with the one requested. */
public final class RepositoryLockedException extends UserFacingException {
    public RepositoryLockedException(String message) {
        super(ExitCode.LOCKED, message);
    }
}
