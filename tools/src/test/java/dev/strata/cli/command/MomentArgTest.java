package dev.strata.cli.command;

import dev.strata.core.error.UserFacingException;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.ZoneId;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MomentArgTest {
    private static final Instant NOW = Instant.parse("2026-12-06T12:00:00Z");
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    @Test
    void everyFormPeopleHaveAtHand() throws Exception {
        assertThat(MomentArg.parse("2026-12-06T09:30:00Z", NOW, BERLIN)).isEqualTo(Instant.parse("2026-12-06T09:30:00Z"));
        assertThat(MomentArg.parse("2026-12-06 10:30", NOW, BERLIN)).isEqualTo(Instant.parse("2026-12-06T09:30:00Z"));
        assertThat(MomentArg.parse("2026-12-06 10:30:15", NOW, BERLIN)).isEqualTo(Instant.parse("2026-12-06T09:30:15Z"));
        assertThat(MomentArg.parse("2026-12-06T09-30-00", NOW, BERLIN)).isEqualTo(Instant.parse("2026-12-06T09:30:00Z"));
        assertThat(MomentArg.parse("2h ago", NOW, BERLIN)).isEqualTo(Instant.parse("2026-12-06T10:00:00Z"));
        assertThat(MomentArg.parse("30m", NOW, BERLIN)).isEqualTo(Instant.parse("2026-12-06T11:30:00Z"));
        assertThat(MomentArg.parse("1w ago", NOW, BERLIN)).isEqualTo(Instant.parse("2026-11-29T12:00:00Z"));
    }

    @Test
    void anythingElse_isAUsageErrorThatShowsTheForms() {
        assertThatThrownBy(() -> MomentArg.parse("yesterday-ish", NOW, BERLIN)).isInstanceOf(UserFacingException.class)
                .hasMessageContaining("2h ago");
    }
}
