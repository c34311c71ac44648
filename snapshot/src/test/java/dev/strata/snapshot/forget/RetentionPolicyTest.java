package dev.strata.snapshot.forget;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RetentionPolicyTest {

    @Test
    void build_nothingSet_refusedLikeRestic() {
        assertThatThrownBy(() -> RetentionPolicy.builder().build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no policy was specified, no snapshots will be removed");
    }

    @Test
    void build_onlyZeroCountsAndZeroDuration_refused() {
        assertThatThrownBy(() -> RetentionPolicy.builder().last(0).daily(0).within(Duration.ZERO).build())
                .hasMessageContaining("no policy was specified");
    }

    @Test
    void removeAll_isTheExplicitEmptyPolicy() {
        RetentionPolicy p = RetentionPolicy.removeAll();
        assertThat(p.isEmpty()).isTrue();
        assertThat(p.allowRemoveAll()).isTrue();
    }

    @Test
    void build_anySingleRule_accepted() {
        assertThat(RetentionPolicy.builder().yearly(1).build().isEmpty()).isFalse();
        assertThat(RetentionPolicy.builder().tag("x").build().isEmpty()).isFalse();
        assertThat(RetentionPolicy.builder().within(Duration.ofHours(1)).build().isEmpty()).isFalse();
        assertThat(RetentionPolicy.builder().hourly(-1).build().isEmpty()).isFalse();
    }

    @Test
    void build_countBelowMinusOne_refused() {
        assertThatThrownBy(() -> RetentionPolicy.builder().weekly(-2).build())
                .hasMessageContaining("--keep-weekly must be a count >= 0, or -1 for unlimited; got -2");
    }

    @Test
    void build_negativeWithin_refused() {
        assertThatThrownBy(() -> RetentionPolicy.builder().within(Duration.ofDays(-1)).last(1).build())
                .hasMessageContaining("--keep-within must not be negative");
    }

    @Test
    void build_zeroWithin_meansNotUsed() {
        assertThat(RetentionPolicy.builder().within(Duration.ZERO).last(1).build().keepWithin()).isNull();
    }

    @Test
    void build_blankTag_refused() {
        assertThatThrownBy(() -> RetentionPolicy.builder().tag(" ").build()).hasMessageContaining("non-empty tag");
    }

    @Test
    void keepTags_sortedAndImmutable() {
        RetentionPolicy p = RetentionPolicy.builder().tag("b", "a", "b").build();
        assertThat(p.keepTags()).containsExactly("a", "b");
        assertThat(p).isEqualTo(new RetentionPolicy(0, 0, 0, 0, 0, 0, null, Set.of("a", "b"), false));
        assertThatThrownBy(() -> p.keepTags().add("c")).isInstanceOf(UnsupportedOperationException.class);
    }
}
