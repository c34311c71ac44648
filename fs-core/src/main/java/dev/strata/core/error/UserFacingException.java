package dev.strata.core.error;

import java.io.IOException;

/**
 * An error the person at the command line caused or can fix: its message is complete in one line
 * and the CLI prints it without a stack trace, exiting with {@link #exitCode()}.
 */
public class UserFacingException extends IOException {
    private final ExitCode exitCode;

    public UserFacingException(ExitCode exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public UserFacingException(ExitCode exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    public ExitCode exitCode() {
        return exitCode;
    }
}
