package dev.strata.snapshot.forget;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DurationTextTest {

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource(delimiter = '|', textBlock = """
            7d       | PT168H   | 7d
            36h      | PT36H    | 1d12h
            1d12h    | PT36H    | 1d12h
            0d       | PT0S     | 0h
            PT90M    | PT1H30M  | PT1H30M
            pt2h     | PT2H     | 2h
            """)
    void parse_thenFormat(String text, String iso, String formatted) {
        Duration d = DurationText.parse(text);
        assertThat(d).isEqualTo(Duration.parse(iso));
        assertThat(DurationText.format(d)).isEqualTo(formatted);
        assertThat(DurationText.parse(formatted)).isEqualTo(d);
    }

    @ParameterizedTest(name = "''{0}''")
    @CsvSource(delimiter = '|', textBlock = """
            6m       | years and months have no fixed length
            1y       | years and months have no fixed length
            1y2m3d   | years and months have no fixed length
            ''       | write days and hours
            7        | write days and hours
            12h1d    | write days and hours
            1w       | write days and hours
            P1M      | cannot read duration 'P1M'
            99999999999999999999d | too long
            """)
    void parse_unreadable_refusedWithHint(String text, String message) {
        assertThatThrownBy(() -> DurationText.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }
}
