package dev.strata.sync.identity;

import dev.strata.core.error.ExitCode;
import dev.strata.core.error.UserFacingException;

import java.nio.file.Path;

/** The device identity file exists but cannot be read as a key and its certificate. */
public final class DamagedIdentityException extends UserFacingException {
    DamagedIdentityException(Path file, Exception cause) {
        super(ExitCode.CORRUPT, "the device identity " + file + " is damaged (" + cause.getMessage()
                + "); move it away to make a new one, whose new device ID every peer must then add", cause);
    }
}
