package dev.strata.cli.command;

import dev.strata.snapshot.prune.PruneResult;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class PruneWaitingTextTest {
    private static PruneResult waiting(List<String> who) {
        return new PruneResult(3, 10, 2, 5, 0, 0, 4_000_000, 0, 0, 0, 0, 0, false, 2, 2_000_000, who);
    }

    @Test
    void namesEachWriterThatDoesNotKnowYet() {
        String text = PruneCommand.waitingText(waiting(List.of("volume docs on elsewhere", "backup on laptop")));
        assertThat(text).contains("2 unused pack(s)").contains("waiting for:")
                .contains("  volume docs on elsewhere").contains("  backup on laptop");
    }

    @Test
    void withNoWriterLeft_saysTheNextPruneDeletesThem_insteadOfAnEmptyList() {
        String text = PruneCommand.waitingText(waiting(List.of()));
        assertThat(text).doesNotContain("waiting for").contains("the next prune deletes them");
    }
}
