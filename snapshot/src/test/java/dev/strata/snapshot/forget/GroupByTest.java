package dev.strata.snapshot.forget;

import dev.strata.snapshot.SnapshotKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GroupByTest {

    @ParameterizedTest(name = "''{0}''")
    @CsvSource(delimiter = '|', textBlock = """
            host,paths      | host,paths
            paths, host     | host,paths
            hosts,tags      | host,tags
            path            | paths
            ''              | ''
            tag,host,paths  | host,paths,tags
            """)
    void parse_thenToString(String text, String canonical) {
        GroupBy g = GroupBy.parse(text);
        assertThat(g.toString()).isEqualTo(canonical);
        assertThat(GroupBy.parse(g.toString())).isEqualTo(g);
    }

    @Test
    void parse_unknownField_refused() {
        assertThatThrownBy(() -> GroupBy.parse("host,user")).hasMessageContaining("cannot group by 'user'");
    }

    @Test
    void default_isHostAndPaths() {
        assertThat(GroupBy.DEFAULT).isEqualTo(GroupBy.parse("host,paths"));
    }

    @Test
    void keyOf_comparesPathsAndTagsAsSets() {
        GroupBy all = GroupBy.parse("host,paths,tags");
        var a = Snaps.snapshot("a", Instant.EPOCH, SnapshotKind.BACKUP, "h", List.of("/b", "/a"), List.of("y", "x"));
        var b = Snaps.snapshot("b", Instant.EPOCH, SnapshotKind.BACKUP, "h", List.of("/a", "/b", "/a"), List.of("x", "y"));
        assertThat(all.keyOf(a)).isEqualTo(all.keyOf(b))
                .isEqualTo(new GroupKey(SnapshotKind.BACKUP, "h", List.of("/a", "/b"), List.of("x", "y")));
    }

    @Test
    void keyOf_fieldsNotGroupedBy_areNull_kindAlwaysSet() {
        var s = Snaps.snapshot("a", Instant.EPOCH, SnapshotKind.IMAGE, "h", List.of("/dev/sda"), List.of());
        assertThat(GroupBy.NONE.keyOf(s)).isEqualTo(new GroupKey(SnapshotKind.IMAGE, null, null, null));
    }
}
