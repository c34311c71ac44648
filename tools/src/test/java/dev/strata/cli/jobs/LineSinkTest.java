package dev.strata.cli.jobs;

import org.junit.jupiter.api.Test;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class LineSinkTest {
    @Test
    void linesSplitAcrossWrites_comeWhole_andAMultiByteCharacterCutInTwoSurvives() {
        List<String> lines = new ArrayList<>();
        LineSink sink = new LineSink(lines::add);
        byte[] text = "first line\nsecond: é€ and more\nthird".getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < text.length; i += 3) {
            sink.write(text, i, Math.min(3, text.length - i));
        }
        assertThat(lines).containsExactly("first line", "second: é€ and more");
        sink.close();
        assertThat(lines).containsExactly("first line", "second: é€ and more", "third");
    }

    @Test
    void aLineLongerThanTheLimit_isCut_andTheNextLineIsWhole() {
        List<String> lines = new ArrayList<>();
        LineSink sink = new LineSink(lines::add);
        byte[] chunk = "x".repeat(1 << 20).getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < 10; i++) {
            sink.write(chunk, 0, chunk.length);
        }
        sink.write('\n');
        sink.write("next\n".getBytes(StandardCharsets.US_ASCII), 0, 5);
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).hasSize(LineSink.MAX_LINE);
        assertThat(lines.get(1)).isEqualTo("next");
    }

    @Test
    void throughAPrintStream_eachPrintlnIsOneLine() {
        List<String> lines = new ArrayList<>();
        try (PrintStream out = new PrintStream(new LineSink(lines::add), true, StandardCharsets.UTF_8)) {
            for (int i = 0; i < 100_000; i++) {
                out.println("warning: /data/file" + i + ": cannot read");
            }
        }
        assertThat(lines).hasSize(100_000);
        assertThat(lines.get(99_999)).isEqualTo("warning: /data/file99999: cannot read");
    }
}
