package dev.strata.core.error;

/** The location holds no Strata repository (or holds something else). */
public final class NotARepositoryException extends UserFacingException {
    public NotARepositoryException(String message) {
        super(ExitCode.NOT_A_REPOSITORY, message);
    }
}
