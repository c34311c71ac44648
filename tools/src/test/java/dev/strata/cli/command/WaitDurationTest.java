package dev.strata.cli.command;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WaitDurationTest {
    @ParameterizedTest
    @CsvSource({"30s, PT30S", "5m, PT5M", "1h30m, PT1H30M", "2h, PT2H", "1h2m3s, PT1H2M3S", "0s, PT0S", "PT10M, PT10M"})
    void parse_resticStyleAndIso(String text, String expected) {
        assertThat(WaitDuration.parse(text)).isEqualTo(Duration.parse(expected));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "5", "m", "5x", "1d", "-5m", "5m1h", "PT-5M", "99999999999999999999h"})
    void parse_refusesWhatItCannotRead(String text) {
        assertThatThrownBy(() -> WaitDuration.parse(text)).isInstanceOf(CommandLine.TypeConversionException.class)
                .hasMessageContaining(text);
    }
}
