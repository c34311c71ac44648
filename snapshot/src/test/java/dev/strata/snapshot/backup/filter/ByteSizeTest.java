package dev.strata.snapshot.backup.filter;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ByteSizeTest {

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "0        | 0",
        "1024     | 1024",
        "500k     | 512000",
        "500K     | 512000",
        "10M      | 10485760",
        "10m      | 10485760",
        "1.5G     | 1610612736",
        "2T       | 2199023255552",
        "1P       | 1125899906842624",
        "10MB     | 10485760",
        "10MiB    | 10485760",
        "10mib    | 10485760",
        "512B     | 512",
        "\" 7k \" | 7168",
        "\"7 k\"  | 7168",
        ".5k      | 512",
        "5.k      | 5120",
        "1.5      | 1",
        "0.1k     | 102",
        "8191P    | 9222246136947933184",
    })
    void parse_valid(String text, long bytes) {
        assertThat(ByteSize.parse(text)).isEqualTo(bytes);
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"", " ", "abc", "-1", "10X", "1e3", "1,5G", "k", "10KK", "NaN", "10 M B", "0x10", "iB", "10iB",
        "1.2.3", "+5"})
    void parse_garbage_isRefusedClearly(String text) {
        assertThatThrownBy(() -> ByteSize.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("invalid size \"" + text + "\": expected a number of bytes with an optional unit"
                        + " K, M, G, T or P (powers of 1024), e.g. 1024, 500k, 10M, 1.5G");
    }

    @ParameterizedTest
    @ValueSource(strings = {"8192P", "99999999999999999999"})
    void parse_tooLarge_isRefused(String text) {
        assertThatThrownBy(() -> ByteSize.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("invalid size \"" + text + "\": larger than 9223372036854775807 bytes");
    }
}
