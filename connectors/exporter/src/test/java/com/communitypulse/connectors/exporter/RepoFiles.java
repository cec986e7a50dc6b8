package com.communitypulse.connectors.exporter;

import java.nio.file.Files;
import java.nio.file.Path;

/** Locates the repository root from a module's working directory (Maven runs tests in the module). */
final class RepoFiles {
    private RepoFiles() {}

    static Path root() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null) {
            if (Files.isDirectory(p.resolve("dashboards")) && Files.isRegularFile(p.resolve("pom.xml")) && Files.isDirectory(p.resolve("docker"))) {
                return p;
            }
            p = p.getParent();
        }
        throw new IllegalStateException("repository root (with dashboards/ and docker/) not found above " + Path.of("").toAbsolutePath());
    }
}
