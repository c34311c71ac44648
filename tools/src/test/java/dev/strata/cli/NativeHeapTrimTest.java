package dev.strata.cli;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class NativeHeapTrimTest {
    private static java.util.List<String> of(String version) {
        return NativeHeapTrim.flags(Runtime.Version.parse(version));
    }

    @Test
    void flags_jvmsWithTheSwitch_getIt() {
        assertThat(of("17.0.11")).containsExactly(NativeHeapTrim.FLAG);
        assertThat(of("17.0.15+6")).containsExactly(NativeHeapTrim.FLAG);
        assertThat(of("21.0.3")).containsExactly(NativeHeapTrim.FLAG);
        assertThat(of("22")).containsExactly(NativeHeapTrim.FLAG);
        assertThat(of("25.0.1")).containsExactly(NativeHeapTrim.FLAG);
    }

    @Test
    void flags_jvmsWithoutIt_getNothing() {
        assertThat(of("17")).isEmpty();
        assertThat(of("17.0.8")).isEmpty();
        assertThat(of("18.0.2")).isEmpty();
        assertThat(of("20.0.2")).isEmpty();
        assertThat(of("21.0.1")).isEmpty();
    }

    @Test
    void flags_thisJvm_startsAJvmWithThem() throws Exception {
        java.util.List<String> cmd = new java.util.ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.addAll(NativeHeapTrim.flags());
        cmd.add("-version");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(out).isZero();
    }
}
