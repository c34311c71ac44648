package dev.strata.cli.jobs;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * An output stream that hands each line written to it (UTF-8, without its end) to a consumer as soon
 * as the line is complete, keeping only the line under way: what a command prints in a daemon that runs
 * for months must not pile up in memory. A line longer than {@link #MAX_LINE} bytes is cut there.
 * Confined to one writer.
 */
final class LineSink extends OutputStream {
    /** The longest line kept; a JSON summary listing a thousand long paths fits. */
    static final int MAX_LINE = 8 << 20;

    private final Consumer<String> lines;
    private ByteArrayOutputStream line = new ByteArrayOutputStream();

    LineSink(Consumer<String> lines) {
        this.lines = lines;
    }

    @Override
    public void write(int b) {
        if (b == '\n') {
            endLine();
        } else if (line.size() < MAX_LINE) {
            line.write(b);
        }
    }

    @Override
    public void write(byte[] b, int off, int len) {
        int end = off + len;
        int start = off;
        for (int i = off; i < end; i++) {
            if (b[i] == '\n') {
                keep(b, start, i - start);
                endLine();
                start = i + 1;
            }
        }
        keep(b, start, end - start);
    }

    /** The last line, even without its end. */
    @Override
    public void close() {
        if (line.size() > 0) {
            endLine();
        }
    }

    private void keep(byte[] b, int off, int len) {
        line.write(b, off, Math.min(len, MAX_LINE - line.size()));
    }

    private void endLine() {
        String s = line.toString(StandardCharsets.UTF_8);
        // A long line's buffer is let go rather than reset, which would keep its capacity.
        line = line.size() > 64 * 1024 ? new ByteArrayOutputStream() : line;
        line.reset();
        lines.accept(s);
    }
}
