package dev.strata.snapshot.forget;

import com.fasterxml.jackson.databind.JsonNode;
import dev.strata.snapshot.Snapshot;
import dev.strata.snapshot.SnapshotKind;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ForgetPlanFormatTest {
    private static final Instant NOW = Instant.parse("2026-11-27T00:00:00Z");

    private static ForgetPlan plan() {
        List<Snapshot> list = List.of(
                Snaps.snapshot("s1", Instant.parse("2026-11-25T09:20:30Z")),
                Snaps.snapshot("s2", Instant.parse("2026-11-25T21:00:00Z")),
                Snaps.snapshot("s3", Instant.parse("2026-11-26T09:20:30Z")),
                Snaps.snapshot("s4", Instant.parse("2026-11-20T09:00:00Z"), SnapshotKind.IMAGE, "laptop",
                        List.of("/dev/sda"), List.of("x")));
        RetentionPolicy policy = RetentionPolicy.builder().last(1).daily(2).build();
        return Retention.apply(list, policy, NOW, ZoneId.of("Europe/Berlin"));
    }

    @Test
    void text_headerPerGroup_linePerSnapshot_timesInTheZone() {
        assertThat(ForgetPlanFormat.text(plan())).isEqualTo("""
                backup snapshots of host laptop, paths [/home]: keep 2, remove 1
                keep    73330000  2026-11-26 10:20:30  last-1, daily-1
                keep    73320000  2026-11-25 22:00:00  daily-2
                remove  73310000  2026-11-25 10:20:30

                image snapshots of host laptop, paths [/dev/sda]: keep 1, remove 0
                keep    73340000  2026-11-20 10:00:00  last-1, daily-1
                """);
    }

    @Test
    void header_groupedByTagsOnly() {
        ForgetPlan plan = Retention.apply(List.of(Snaps.snapshot("s1", NOW)), RetentionPolicy.builder().last(1).build(),
                GroupBy.parse("tags"), NOW, ZoneId.of("UTC"));
        assertThat(ForgetPlanFormat.header(plan.groups().get(0))).isEqualTo("backup snapshots of no tags: keep 1, remove 0");
    }

    @Test
    void describe_likeRestic() {
        assertThat(ForgetPlanFormat.describe(RetentionPolicy.builder().last(3).daily(7).weekly(-1)
                .within(Duration.ofDays(30)).tag("a", "b").build()))
                .isEqualTo("keep 3 latest, 7 daily, all weekly snapshots and all snapshots with tag a or b"
                        + " and all snapshots within 30d of the newest");
        assertThat(ForgetPlanFormat.describe(RetentionPolicy.removeAll())).isEqualTo("keep nothing: remove every snapshot");
    }

    @Test
    void json_everySnapshotWithActionAndReasons() {
        JsonNode json = ForgetPlanFormat.json(plan());
        assertThat(json.get("policy").asText()).isEqualTo("keep 1 latest, 2 daily snapshots");
        assertThat(json.get("groupBy").toString()).isEqualTo("[\"host\",\"paths\"]");
        assertThat(json.get("now").asText()).isEqualTo("2026-11-27T00:00:00Z");
        assertThat(json.get("zone").asText()).isEqualTo("Europe/Berlin");
        JsonNode backups = json.get("groups").get(0);
        assertThat(backups.get("kind").asText()).isEqualTo("backup");
        assertThat(backups.get("host").asText()).isEqualTo("laptop");
        assertThat(backups.get("paths").toString()).isEqualTo("[\"/home\"]");
        assertThat(backups.has("tags")).isFalse();
        assertThat(backups.get("keep").asInt()).isEqualTo(2);
        assertThat(backups.get("remove").asInt()).isEqualTo(1);
        JsonNode first = backups.get("snapshots").get(0);
        assertThat(first.get("id").asText()).isEqualTo(Snaps.idOf("s3").toString());
        assertThat(first.get("shortId").asText()).isEqualTo("73330000");
        assertThat(first.get("time").asText()).isEqualTo("2026-11-26T09:20:30Z");
        assertThat(first.get("action").asText()).isEqualTo("keep");
        assertThat(first.get("reasons").toString()).isEqualTo("[\"last-1\",\"daily-1\"]");
        JsonNode removed = backups.get("snapshots").get(2);
        assertThat(removed.get("action").asText()).isEqualTo("remove");
        assertThat(removed.get("reasons").size()).isZero();
    }
}
