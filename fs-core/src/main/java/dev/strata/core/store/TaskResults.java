package dev.strata.core.store;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/** The result of work handed to another thread, with its failure thrown as the work threw it. Stateless. */
public final class TaskResults {
    private TaskResults() {
    }

    /**
     * Waits for {@code f}: its result, or what its task threw (an {@link IOException}, a
     * {@link RuntimeException} or an {@link Error} as it was, anything else inside an IOException).
     */
    public static <T> T await(Future<T> f) throws IOException {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for another thread's work");
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof IOException io) {
                throw io;
            }
            if (c instanceof RuntimeException r) {
                throw r;
            }
            if (c instanceof Error err) {
                throw err;
            }
            throw new IOException(c);
        }
    }
}
