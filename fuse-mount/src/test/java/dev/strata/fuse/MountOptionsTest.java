package dev.strata.fuse;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class MountOptionsTest {
    @Test
    void aMutableMount_takesWritesOfManyPages() {
        List<String> o = List.of(MountOptions.mutable("strata:x").optionString().split(","));
        assertThat(o).contains("big_writes", "attr_timeout=1", "entry_timeout=1").doesNotContain("ro");
    }

    @Test
    void anImmutableMount_isReadOnly_andLetsTheKernelKeepPages() {
        List<String> o = List.of(MountOptions.immutable("strata:x").optionString().split(","));
        assertThat(o).contains("ro", "kernel_cache", "attr_timeout=86400").doesNotContain("big_writes");
    }

    @Test
    void theSourceName_cannotAddOptions() {
        assertThat(MountOptions.mutable("a,allow_other").optionString()).contains("fsname=a_allow_other")
                .doesNotContain(",allow_other");
    }
}
