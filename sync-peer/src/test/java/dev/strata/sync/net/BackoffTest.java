package dev.strata.sync.net;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class BackoffTest {
    @Test
    void waitsDouble_upToTheLongest_shortenedByAtMostAFifth_andStartOverAfterAReset() {
        Backoff b = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(60), new Random(1));
        long[] bases = {1000, 2000, 4000, 8000, 16000, 32000, 60000, 60000, 60000};
        for (long base : bases) {
            long ms = b.next().toMillis();
            assertThat(ms).isBetween(base - base / 5, base);
        }
        for (int i = 0; i < 100; i++) {
            assertThat(b.next().toMillis()).isBetween(48_000L, 60_000L);
        }
        b.reset();
        assertThat(b.next().toMillis()).isBetween(800L, 1000L);
    }
}
