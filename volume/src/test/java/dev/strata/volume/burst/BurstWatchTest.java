package dev.strata.volume.burst;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class BurstWatchTest {
    private static final Instant T0 = Instant.parse("2026-12-06T09:30:00.250Z");

    @Test
    void aBurst_isOneLineInTheLog_namingTheFiles_theStart_andTheRollbackToJustBefore() {
        List<String> log = new ArrayList<>();
        BurstWatch w = new BurstWatch("docs", 3, Duration.ofSeconds(60), Clock.fixed(T0, ZoneOffset.UTC),
                "--repo '/srv/my repo'", log::add);
        w.overwritten(bytes("a.txt"), T0.minusMillis(200));
        w.deleted(bytes("b.txt"));
        w.deleted(bytes("c/d.txt"));
        w.deleted(bytes("c"));
        assertThat(log).containsExactly("volume docs: 3 files deleted or overwritten since 2026-12-06T09:30:00Z"
                + " (2 deleted, 1 overwritten), and it may go on; if that was not meant, unmount the volume and undo it"
                + " with: strata volume rollback docs --to '2026-12-06T09:30:00.049999Z' --repo '/srv/my repo'");
    }

    @Test
    void theMomentJustBefore_isAMicrosecondEarlier_atMost_andNeverTheSame() {
        assertThat(BurstWatch.justBefore(Instant.parse("2026-12-06T09:30:00Z")))
                .isEqualTo(Instant.parse("2026-12-06T09:29:59.999999Z"));
        assertThat(BurstWatch.justBefore(Instant.parse("2026-12-06T09:30:00.123456789Z")))
                .isEqualTo(Instant.parse("2026-12-06T09:30:00.123455Z"));
    }

    @Test
    void withoutOptions_theCommandIsTheVolumesNameAndTheTime() {
        BurstWatch w = new BurstWatch("photos", 1, Duration.ofSeconds(1), Clock.systemUTC(), "", l -> { });
        assertThat(w.undoCommand(T0)).isEqualTo("strata volume rollback photos --to '2026-12-06T09:30:00.249999Z'");
    }

    @Test
    void theWatchThatIsOff_neverWarns() {
        BurstWatch w = BurstWatch.off();
        for (int i = 0; i < 10_000; i++) {
            w.deleted(bytes("f" + i));
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
