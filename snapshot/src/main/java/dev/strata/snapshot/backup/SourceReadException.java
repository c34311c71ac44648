package dev.strata.snapshot.backup;

import java.io.IOException;

/**
 * Reading the source failed (an unreadable sector, a file removed mid-read): the file is skipped
 * with a warning, unlike a failure to store, which ends the backup.
 */
final class SourceReadException extends IOException {
    SourceReadException(String message, IOException cause) {
        super(message, cause);
    }
}
