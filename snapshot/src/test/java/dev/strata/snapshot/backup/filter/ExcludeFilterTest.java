package dev.strata.snapshot.backup.filter;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static dev.strata.snapshot.backup.filter.TestWalk.tree;
import static dev.strata.snapshot.backup.filter.TestWalk.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ExcludeFilterTest {
    @TempDir
    Path root;

    @Test
    void strataignore_nestedFilesOverrideParentRules() throws IOException {
        tree(root, "a.log", "important.log", "build/x.o", "local",
                "sub/debug.log", "sub/important.log", "sub/local", "sub/x/local", "sub/build/y.o",
                "sub/deeper/debug.log", "sub/deeper/notes.txt");
        write(root.resolve(".strataignore"), "*.log\n!important.log\nbuild/\n");
        write(root.resolve("sub/.strataignore"), "!debug.log\nimportant.log\n/local\n");
        write(root.resolve("sub/deeper/.strataignore"), "*.log\n");

        TestWalk w = TestWalk.run(ExcludeFilter.defaults(), root);

        assertThat(w.kept).containsExactly(".strataignore", "important.log", "local",
                "sub/", "sub/.strataignore", "sub/debug.log", "sub/deeper/", "sub/deeper/.strataignore",
                "sub/deeper/notes.txt", "sub/x/", "sub/x/local");
        assertThat(w.problems).isEmpty();
    }

    @Test
    void strataignore_appliesOnlyToItsFolderAndBelow() throws IOException {
        tree(root, "a/x.tmp", "b/x.tmp", "a/inner/y.tmp");
        write(root.resolve("a/.strataignore"), "*.tmp\n");

        assertThat(TestWalk.run(ExcludeFilter.defaults(), root).kept)
                .containsExactly("a/", "a/.strataignore", "a/inner/", "b/", "b/x.tmp");
    }

    @Test
    void strataignore_aboveTheRoot_isNotRead() throws IOException {
        tree(root, "in/x.tmp");
        write(root.resolve(".strataignore"), "*.tmp\n");

        assertThat(TestWalk.run(ExcludeFilter.defaults(), root.resolve("in")).kept).containsExactly("x.tmp");
    }

    @Test
    void commandLinePatterns_takePrecedenceOverIgnoreFiles() throws IOException {
        tree(root, "x.bak", "y.bak", "important.log", "other.log");
        write(root.resolve(".strataignore"), "!x.bak\n*.log\n");
        ExcludeFilter filter = ExcludeFilter.builder().exclude("*.bak").exclude("!important.log").build();

        assertThat(TestWalk.run(filter, root).kept).containsExactly(".strataignore", "important.log");
    }

    @Test
    void commandLinePatterns_absoluteAndCaseInsensitive() throws IOException {
        tree(root, "keep/a.txt", "skip/b.txt", "deep/skip/c.txt", "IMG.JPG", "img.jpg", "Img.Png");
        ExcludeFilter filter = ExcludeFilter.builder()
                .exclude(root.resolve("skip").toString())
                .iexclude("*.jpg")
                .build();

        assertThat(TestWalk.run(filter, root).kept)
                .containsExactly("Img.Png", "deep/", "deep/skip/", "deep/skip/c.txt", "keep/", "keep/a.txt");
    }

    @Test
    void excludeFile_readsPatternsWithFileSyntax(@TempDir Path elsewhere) throws IOException {
        tree(root, "a.tmp", "b.txt", "cache/x", "deep/cache/y");
        Path list = elsewhere.resolve("excludes.txt");
        write(list, "# temporary files\n*.tmp   \n\ncache/\n");
        ExcludeFilter filter = ExcludeFilter.builder().excludeFile(list, false).build();

        assertThat(TestWalk.run(filter, root).kept).containsExactly("b.txt", "deep/");
    }

    @Test
    void excludeFile_missing_failsNamingTheFile(@TempDir Path elsewhere) {
        Path missing = elsewhere.resolve("nope.txt");
        assertThatThrownBy(() -> ExcludeFilter.builder().excludeFile(missing, false))
                .isInstanceOf(IOException.class).hasMessageContaining("read exclude file " + missing);
    }

    @Test
    void excludeLargerThan_appliesToFilesOnly() throws IOException {
        write(root.resolve("small"), "12345");
        write(root.resolve("exact"), "1234567890");
        write(root.resolve("big"), "12345678901");
        Files.createDirectories(root.resolve("dir"));
        ExcludeFilter filter = ExcludeFilter.builder().excludeLargerThan(10).build();

        assertThat(TestWalk.run(filter, root).kept).containsExactly("dir/", "exact", "small");
        DirectoryFilter f = filter.root(root, TestWalk.names(root));
        assertThat(f.excludes("dir", true, Long.MAX_VALUE)).isFalse();
        assertThat(f.explain("big", false, 11)).contains("larger than 10 bytes (--exclude-larger-than)");
    }

    @Test
    void excludeLargerThan_parsesSizes() {
        ExcludeFilter filter = ExcludeFilter.builder().excludeLargerThan("1k").build();
        assertThat(filter.excludesTarget(root.resolve("f"), false, 1025)).isTrue();
        assertThat(filter.excludesTarget(root.resolve("f"), false, 1024)).isFalse();
        assertThatThrownBy(() -> ExcludeFilter.builder().excludeLargerThan(-1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void excludeCaches_keepsTheDirectoryAndItsTagOnly() throws IOException {
        tree(root, "cache/blob1", "cache/sub/blob2", "data.txt");
        write(root.resolve("cache/CACHEDIR.TAG"),
                "Signature: 8a477f597d28d172789f06886806bc55\n# This file is a cache directory tag.\n");
        ExcludeFilter filter = ExcludeFilter.builder().excludeCaches(true).build();

        assertThat(TestWalk.run(filter, root).kept).containsExactly("cache/", "cache/CACHEDIR.TAG", "data.txt");
        DirectoryFilter cache = filter.root(root, TestWalk.names(root)).enter("cache", TestWalk.names(root.resolve("cache")));
        assertThat(cache.contentsExcluded()).isTrue();
        assertThat(cache.explain("blob1", false, 1)).contains("its directory is a cache (CACHEDIR.TAG, --exclude-caches)");
    }

    @Test
    void excludeCaches_signatureAloneWithoutNewlineIsEnough() throws IOException {
        tree(root, "c/blob");
        write(root.resolve("c/CACHEDIR.TAG"), "Signature: 8a477f597d28d172789f06886806bc55");

        assertThat(TestWalk.run(ExcludeFilter.builder().excludeCaches(true).build(), root).kept)
                .containsExactly("c/", "c/CACHEDIR.TAG");
    }

    @Test
    void excludeCaches_invalidTagsAreIgnored() throws IOException {
        String good = "Signature: 8a477f597d28d172789f06886806bc55";
        write(root.resolve("lower/CACHEDIR.TAG"), good.toLowerCase());
        write(root.resolve("space/CACHEDIR.TAG"), " " + good);
        write(root.resolve("short/CACHEDIR.TAG"), good.substring(0, 42));
        write(root.resolve("wrongname/cachedir.tag"), good);
        Files.createDirectories(root.resolve("asdir/CACHEDIR.TAG"));
        write(root.resolve("real.tag"), good);
        Files.createDirectories(root.resolve("link"));
        Files.createSymbolicLink(root.resolve("link/CACHEDIR.TAG"), root.resolve("real.tag"));
        ExcludeFilter filter = ExcludeFilter.builder().excludeCaches(true).build();

        DirectoryFilter top = filter.root(root, TestWalk.names(root));
        for (String dir : new String[] {"lower", "space", "short", "wrongname", "asdir", "link"}) {
            DirectoryFilter f = top.enter(dir, TestWalk.names(root.resolve(dir)));
            assertThat(f.contentsExcluded()).as(dir).isFalse();
            assertThat(f.problems()).as(dir).isEmpty();
        }
    }

    @Test
    void excludeCaches_offByDefault() throws IOException {
        tree(root, "c/blob");
        write(root.resolve("c/CACHEDIR.TAG"), "Signature: 8a477f597d28d172789f06886806bc55");

        assertThat(TestWalk.run(ExcludeFilter.defaults(), root).kept).containsExactly("c/", "c/CACHEDIR.TAG", "c/blob");
    }

    @Test
    void excludeIfPresent_severalNames_keepTheMarker() throws IOException {
        tree(root, "a/.nobackup", "a/data", "a/sub/more", "b/.git-annex-skip", "b/data", "c/data");
        ExcludeFilter filter = ExcludeFilter.builder()
                .excludeIfPresent(".nobackup").excludeIfPresent(".git-annex-skip").build();

        assertThat(TestWalk.run(filter, root).kept)
                .containsExactly("a/", "a/.nobackup", "b/", "b/.git-annex-skip", "c/", "c/data");
    }

    @Test
    void excludeIfPresent_markerMayBeAnyKindOfEntry() throws IOException {
        tree(root, "a/.nobackup/", "a/data");
        ExcludeFilter filter = ExcludeFilter.builder().excludeIfPresent(".nobackup").build();

        assertThat(TestWalk.run(filter, root).kept).containsExactly("a/", "a/.nobackup/");
    }

    @Test
    void excludeIfPresent_rejectsPaths() {
        assertThatThrownBy(() -> ExcludeFilter.builder().excludeIfPresent("a/b"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("a/b");
        assertThatThrownBy(() -> ExcludeFilter.builder().excludeIfPresent(""))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void taggedDirectory_patternsStillApplyToTheTag() throws IOException {
        tree(root, "a/.nobackup", "a/data");
        ExcludeFilter filter = ExcludeFilter.builder().excludeIfPresent(".nobackup").exclude(".nobackup").build();

        assertThat(TestWalk.run(filter, root).kept).containsExactly("a/");
    }

    @Test
    void unreadableIgnoreFile_isReportedAndItsRulesDoNotApply() throws IOException {
        tree(root, "a/x.tmp", "b/y.tmp", "real");
        Files.createDirectories(root.resolve("a/.strataignore"));
        Files.createSymbolicLink(root.resolve("b/.strataignore"), root.resolve("real"));

        TestWalk w = TestWalk.run(ExcludeFilter.defaults(), root);

        assertThat(w.kept).contains("a/x.tmp", "b/y.tmp");
        assertThat(w.problems).extracting(FilterProblem::path).containsExactly(
                root.resolve("a/.strataignore").toString(), root.resolve("b/.strataignore").toString());
        assertThat(w.problems.get(1).message()).contains("not a regular file");
    }

    @Test
    void ignoreFileName_canBeChangedOrDisabled() throws IOException {
        tree(root, "x.tmp", "y.bak");
        write(root.resolve(".strataignore"), "*.tmp\n");
        write(root.resolve(".gitignore"), "*.bak\n");

        assertThat(TestWalk.run(ExcludeFilter.builder().ignoreFileName(".gitignore").build(), root).kept)
                .containsExactly(".gitignore", ".strataignore", "x.tmp");
        assertThat(TestWalk.run(ExcludeFilter.builder().ignoreFileName(null).build(), root).kept)
                .containsExactly(".gitignore", ".strataignore", "x.tmp", "y.bak");
    }

    @Test
    void excludesTarget_matchesTheTargetItselfNotItsParents() {
        ExcludeFilter filter = ExcludeFilter.builder().exclude("/home/ana/tmp").exclude(".*").build();

        assertThat(filter.excludesTarget(Path.of("/home/ana/tmp"), true, 0)).isTrue();
        assertThat(filter.excludesTarget(Path.of("/home/ana/tmp/../tmp"), true, 0)).isTrue();
        assertThat(filter.excludesTarget(Path.of("/home/ana/tmp/inner"), true, 0)).isFalse();
        assertThat(filter.excludesTarget(Path.of("/home/ana/.config"), true, 0)).isTrue();
        assertThat(filter.excludesTarget(Path.of("/home/ana/.config/app"), true, 0)).isFalse();
        assertThat(filter.excludesTarget(Path.of("/"), true, 0)).isFalse();
    }

    @Test
    void explain_namesThePatternAndWhereItComesFrom() throws IOException {
        tree(root, "x.tmp", "x.bak");
        write(root.resolve(".strataignore"), "# comment\n*.tmp\n");
        DirectoryFilter f = ExcludeFilter.builder().exclude("*.bak").build().root(root, TestWalk.names(root));

        assertThat(f.explain("x.tmp", false, 1)).contains("matches " + root.resolve(".strataignore") + ":2: *.tmp");
        assertThat(f.explain("x.bak", false, 1)).contains("matches --exclude *.bak");
        assertThat(f.explain("x.txt", false, 1)).isEmpty();
    }

    @Test
    void root_acceptsRelativeAndUnnormalizedPaths() throws IOException {
        tree(root, "a/x.tmp");
        write(root.resolve("a/.strataignore"), "/x.tmp\n");
        ExcludeFilter filter = ExcludeFilter.builder().exclude(root.resolve("a") + "/y").build();
        DirectoryFilter f = filter.root(root.resolve("a/../a/."), TestWalk.names(root.resolve("a")));

        assertThat(f.directory()).isEqualTo(root.resolve("a"));
        assertThat(f.excludes("x.tmp", false, 1)).isTrue();
        assertThat(f.excludes("y", false, 1)).isTrue();
    }
}
