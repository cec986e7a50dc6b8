package com.communitypulse.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirsTest {

    @Test
    void shouldDeleteTheTreeButNotFollowSymlinks(@TempDir Path tmp) throws Exception {
        Path keep = Files.createDirectories(tmp.resolve("keep"));
        Files.writeString(keep.resolve("precious.txt"), "x");
        Path dir = Files.createDirectories(tmp.resolve("work/a/b"));
        Files.writeString(dir.resolve("f.txt"), "y");
        Files.createSymbolicLink(tmp.resolve("work/link"), keep);
        Dirs.deleteQuietly(tmp.resolve("work"));
        assertThat(tmp.resolve("work")).doesNotExist();
        assertThat(keep.resolve("precious.txt")).hasContent("x");
        Dirs.deleteQuietly(tmp.resolve("work")); // already gone: no error
        Dirs.deleteQuietly(null);
    }

    @Test
    void shouldNameTheBuildCommandWhenTheLibDirIsMissingOrIncomplete(@TempDir Path tmp) throws Exception {
        assertThatThrownBy(() -> LibDir.locate("PULSE_TEST_UNSET_LIB", DirsTest.class, "/missing.properties", "lib", "foo-", "mvn install"))
                .hasMessage("missing.properties missing from the classpath: build with 'mvn install' first");
        assertThatThrownBy(() -> LibDir.require(tmp.resolve("nope"), "the build", "foo-", "mvn install"))
                .hasMessage("jars not found at " + tmp.resolve("nope") + " (from the build): run 'mvn install' to assemble them");
        Files.writeString(tmp.resolve("other-1.0.jar"), "");
        assertThatThrownBy(() -> LibDir.require(tmp, "FOO_LIB", "foo-", "mvn install"))
                .hasMessage("No foo-*.jar in " + tmp + " (from FOO_LIB): run 'mvn install' to assemble it");
        Files.writeString(tmp.resolve("foo-2.0.jar"), "");
        assertThat(LibDir.require(tmp, "FOO_LIB", "foo-", "mvn install")).isEqualTo(tmp.toAbsolutePath());
    }
}
