package com.communitypulse.sentiment;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Locates the labelled dev sets that the project never commits (CONTRACT §7): system property
 * {@code pulse.shared.data}, else the first {@code shared/data} folder found walking up from the
 * working directory (the worktree's sibling {@code ../shared/data}).
 */
final class SharedDevData {

    private SharedDevData() {}

    /** The file, or the calling test is skipped with a message saying where it was looked for. */
    static Path require(String fileName) {
        Path dir = locateDir();
        Path file = dir == null ? null : dir.resolve(fileName);
        assumeTrue(file != null && Files.isRegularFile(file),
                () -> "skipped: dev set " + fileName + " not found; set -Dpulse.shared.data=DIR or place it in"
                        + " ../shared/data relative to the repository (looked in " + dir + ")");
        return file;
    }

    private static Path locateDir() {
        String prop = System.getProperty("pulse.shared.data");
        if (prop != null && !prop.isBlank()) {
            return Path.of(prop);
        }
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path candidate = p.resolve("shared").resolve("data");
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        return null;
    }
}
