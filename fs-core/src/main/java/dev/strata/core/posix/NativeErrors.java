package dev.strata.core.posix;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Reads the errno a bound function left and turns it into an exception with the C library's text
 * for it. Thread-safe: jnr-ffi keeps the saved errno per thread, so read it on the thread that made
 * the call, before that thread calls anything else.
 */
final class NativeErrors {
    private final Libc.Functions libc;
    private final jnr.ffi.Runtime runtime;

    NativeErrors(Libc.Functions libc) {
        this.libc = libc;
        this.runtime = jnr.ffi.Runtime.getRuntime(libc);
    }

    /** The errno the last bound call on this thread left. */
    int errno() {
        return runtime.getLastError();
    }

    /** The exception for the errno the last bound call on this thread left. */
    IOException last(String operation, Path path) {
        return exception(errno(), operation, path);
    }

    IOException exception(int errno, String operation, Path path) {
        return Errno.toException(errno, path, operation + ": " + describe(errno));
    }

    String describe(int errno) {
        String text = libc.strerror(errno);
        return text == null ? "errno " + errno : text;
    }
}
