package dev.strata.cli.jobs;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TomlLinesTest {
    private final TomlLines lines = new TomlLines("""
            # a comment with key = value
            top = 1
            [jobs.docs]
            paths = ["/a",
              "/b"]
            "quoted key" = 2
            note = \"\"\"
            fake = 3
            \"\"\"
            a.b = 4
            [ "jobs" . 'db' ]
            schedule = "daily 02:30" # x = y
            [[mounts]]
            path = "/m"
            """);

    @Test
    void of_findsTablesKeysQuotedAndDottedKeys() {
        assertThat(lines.of(List.of("top"))).isEqualTo(2);
        assertThat(lines.of(List.of("jobs", "docs"))).isEqualTo(3);
        assertThat(lines.of(List.of("jobs", "docs", "paths"))).isEqualTo(4);
        assertThat(lines.of(List.of("jobs", "docs", "quoted key"))).isEqualTo(6);
        assertThat(lines.of(List.of("jobs", "docs", "note"))).isEqualTo(7);
        assertThat(lines.of(List.of("jobs", "docs", "a", "b"))).isEqualTo(10);
        assertThat(lines.of(List.of("jobs", "db", "schedule"))).isEqualTo(12);
        assertThat(lines.of(List.of("mounts", "path"))).isEqualTo(14);
    }

    @Test
    void of_aKeyInsideAMultiLineString_isNoKey_andAnUnknownKeyFallsBackToItsTable() {
        assertThat(lines.of(List.of("jobs", "docs", "fake"))).isEqualTo(3);
        assertThat(lines.of(List.of("jobs", "nothing", "here"))).isEqualTo(1);
    }
}
