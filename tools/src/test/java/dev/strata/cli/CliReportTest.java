package dev.strata.cli;

import dev.strata.core.error.ExitCode;
import dev.strata.core.error.StorageAccessException;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** How {@link Cli#report} turns an error into one line and an exit code. */
class CliReportTest {

    /** A backup whose pack upload was denied reports the storage's line and code, not "storing packs failed". */
    @Test
    void aStorageFailure_wrappedOnItsWayUp_keepsItsLineAndExitCode() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        CliContext sys = CliContext.system();
        CliContext ctx = new CliContext(sys.env(), sys.in(), sys.out(), new PrintStream(err, true, StandardCharsets.UTF_8),
                sys.prompt(), false, sys.clock(), sys.host(), null);
        StorageAccessException denied = new StorageAccessException(ExitCode.ACCESS_DENIED,
                "http://s3.lan denied store data/ab/ab12 in bucket 'b' (AccessDenied, status 403)", null);
        IOException wrapped = new IOException("storing packs failed: x", new IOException("store", denied));

        int code = Cli.report(wrapped, ctx, false);

        assertThat(code).isEqualTo(22);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .isEqualTo("strata: http://s3.lan denied store data/ab/ab12 in bucket 'b' (AccessDenied, status 403)\n");
    }

    /** A full heap, however deep it is wrapped, is one line that says how to raise the ceiling, not an internal error. */
    @Test
    void anOutOfMemoryError_saysHowToRaiseTheHeap() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        CliContext sys = CliContext.system();
        CliContext ctx = new CliContext(sys.env(), sys.in(), sys.out(), new PrintStream(err, true, StandardCharsets.UTF_8),
                sys.prompt(), false, sys.clock(), sys.host(), null);
        RuntimeException wrapped = new java.util.concurrent.CompletionException(new OutOfMemoryError("Java heap space"));

        int code = Cli.report(wrapped, ctx, false);

        assertThat(code).isEqualTo(ExitCode.FAILURE.code());
        assertThat(err.toString(StandardCharsets.UTF_8)).hasLineCount(1)
                .startsWith("strata: out of memory: the Java heap is full").contains("STRATA_JAVA_OPTS=-Xmx1g");
    }
}
