package dev.strata.snapshot.backup.filter;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** DirectoryFilter without a disk: files served from memory. */
class DirectoryFilterTest {
    private static final Path ROOT = Path.of("/data");

    @Test
    void ignoreFile_isReadOnlyWhenListed() {
        MemoryFilterFiles files = new MemoryFilterFiles().put(ROOT.resolve("a/.strataignore"), "*.tmp\n");
        ExcludeFilter filter = ExcludeFilter.builder().files(files).build();

        DirectoryFilter top = filter.root(ROOT, List.of("a", "b"));
        DirectoryFilter b = top.enter("b", List.of("x.tmp"));
        assertThat(files.reads.get()).isZero();
        assertThat(b.excludes("x.tmp", false, 1)).isFalse();

        DirectoryFilter a = top.enter("a", List.of(".strataignore", "x.tmp"));
        assertThat(files.reads.get()).isEqualTo(1);
        assertThat(a.excludes("x.tmp", false, 1)).isTrue();
        assertThat(a.enter("deep", List.of()).excludes("y.tmp", false, 1)).isTrue();
    }

    @Test
    void taggedDirectory_skipsReadingItsIgnoreFile() {
        MemoryFilterFiles files = new MemoryFilterFiles()
                .put(ROOT.resolve("c/CACHEDIR.TAG"), "Signature: 8a477f597d28d172789f06886806bc55 rest")
                .put(ROOT.resolve("c/.strataignore"), "*\n");
        ExcludeFilter filter = ExcludeFilter.builder().files(files).excludeCaches(true).build();

        DirectoryFilter c = filter.root(ROOT, List.of("c")).enter("c", List.of(".strataignore", "CACHEDIR.TAG", "x"));

        assertThat(c.contentsExcluded()).isTrue();
        assertThat(files.reads.get()).isEqualTo(1);
        assertThat(c.excludes("CACHEDIR.TAG", false, 60)).isFalse();
        assertThat(c.excludes("x", false, 1)).isTrue();
        assertThat(c.excludes(".strataignore", false, 1)).isTrue();
    }

    @Test
    void missingIgnoreFile_becomesAProblem() {
        ExcludeFilter filter = ExcludeFilter.builder().files(new MemoryFilterFiles()).build();

        DirectoryFilter f = filter.root(ROOT, List.of(".strataignore"));

        assertThat(f.problems()).singleElement().satisfies(p -> {
            assertThat(p.path()).isEqualTo("/data/.strataignore");
            assertThat(p.message()).isEqualTo("ignore file not read, its rules do not apply: no such file or directory");
        });
    }

    @Test
    void vanishedCacheTag_becomesAProblem_andTheDirectoryIsKept() {
        ExcludeFilter filter = ExcludeFilter.builder().files(new MemoryFilterFiles()).excludeCaches(true).build();

        DirectoryFilter f = filter.root(ROOT, List.of("CACHEDIR.TAG", "x"));

        assertThat(f.contentsExcluded()).isFalse();
        assertThat(f.excludes("x", false, 1)).isFalse();
        assertThat(f.problems()).containsExactly(
                new FilterProblem("/data/CACHEDIR.TAG", "cache directory tag not read: no such file or directory"));
    }

    @Test
    void directoryOnlyPatterns_needIsDirectory() {
        MemoryFilterFiles files = new MemoryFilterFiles().put(ROOT.resolve(".strataignore"), "build/\n");
        DirectoryFilter f = ExcludeFilter.builder().files(files).build().root(ROOT, List.of(".strataignore"));

        assertThat(f.excludes("build", true, 0)).isTrue();
        assertThat(f.excludes("build", false, 0)).isFalse();
    }

    @Test
    void anchoredPatterns_areRelativeToTheirIgnoreFile() {
        MemoryFilterFiles files = new MemoryFilterFiles()
                .put(ROOT.resolve("p/.strataignore"), "/out\nsrc/gen/\n");
        ExcludeFilter filter = ExcludeFilter.builder().files(files).build();
        DirectoryFilter p = filter.root(ROOT, List.of("p")).enter("p", List.of(".strataignore"));

        assertThat(p.excludes("out", true, 0)).isTrue();
        assertThat(p.enter("q", List.of()).excludes("out", true, 0)).isFalse();
        assertThat(p.enter("src", List.of()).excludes("gen", true, 0)).isTrue();
        assertThat(p.enter("x", List.of()).enter("src", List.of()).excludes("gen", true, 0)).isFalse();
    }

    @Test
    void enter_rejectsNamesThatAreNotEntries() {
        DirectoryFilter f = ExcludeFilter.defaults().root(ROOT, List.of());
        for (String bad : new String[] {"", "a/b", ".", ".."}) {
            assertThatThrownBy(() -> f.enter(bad, List.of())).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
