package com.communitypulse.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * A child JVM's classpath directory, assembled by the build (maven-dependency-plugin
 * copy-dependencies into a module's {@code target/}), so that the child's jars never mix with the
 * classpath of the JVM that starts it. The build records the directory in a filtered properties
 * resource of the launching module; an environment variable overrides it.
 */
public final class LibDir {

    private LibDir() {
    }

    /**
     * The directory from {@code envVar} if set, else from {@code key} in the classpath resource
     * {@code resource} (looked up through {@code anchor}); it must hold a jar whose name starts
     * with {@code requiredJarPrefix}. Errors are one line naming {@code buildCommand} as the fix.
     */
    public static Path locate(String envVar, Class<?> anchor, String resource, String key, String requiredJarPrefix, String buildCommand) {
        String env = System.getenv(envVar);
        if (env != null && !env.isBlank()) {
            return require(Path.of(env), envVar, requiredJarPrefix, buildCommand);
        }
        Properties p = new Properties();
        try (InputStream in = anchor.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource.replaceFirst("^/", "") + " missing from the classpath: build with '" + buildCommand + "' first");
            }
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + resource, e);
        }
        String dir = p.getProperty(key);
        if (dir == null || dir.isBlank()) {
            throw new IllegalStateException(resource + " has no " + key + ": build with '" + buildCommand + "' first");
        }
        return require(Path.of(dir), "the build", requiredJarPrefix, buildCommand);
    }

    /** {@code lib} (absolute) if it holds a jar named {@code prefix*.jar}; else a one-line error naming {@code origin} and {@code buildCommand}. */
    static Path require(Path lib, String origin, String prefix, String buildCommand) {
        boolean found;
        try (Stream<Path> s = Files.list(lib)) {
            found = s.anyMatch(f -> f.getFileName().toString().startsWith(prefix) && f.getFileName().toString().endsWith(".jar"));
        } catch (IOException e) {
            throw new IllegalStateException("jars not found at " + lib + " (from " + origin + "): run '" + buildCommand + "' to assemble them");
        }
        if (!found) {
            throw new IllegalStateException("No " + prefix + "*.jar in " + lib + " (from " + origin + "): run '" + buildCommand + "' to assemble it");
        }
        return lib.toAbsolutePath();
    }
}
