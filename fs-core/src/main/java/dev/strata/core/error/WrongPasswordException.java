package dev.strata.core.error;

/** No key file of the repository opens with the given password. */
public final class WrongPasswordException extends UserFacingException {
    public WrongPasswordException(String message) {
        super(ExitCode.WRONG_PASSWORD, message);
    }
}
