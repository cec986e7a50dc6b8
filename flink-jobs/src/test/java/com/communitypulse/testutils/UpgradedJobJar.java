package com.communitypulse.testutils;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * Builds the "next release" job jar for the upgrade test from this release's shaded jar: the
 * test-only {@code UpgradedPulseJob} entry point (an added operator) and a {@code SpikeBaseline}
 * state POJO with one more field, compiled from the real source with the field inserted. The
 * savepoint of this release must restore into it (Flink's POJO serializer schema evolution).
 */
public final class UpgradedJobJar {
    static final String EVOLVED_POJO = "com/communitypulse/alerts/SpikeBaseline";

    private UpgradedJobJar() {}

    public static Path build(Path jobJar, Path workDir) {
        try {
            Path src = workDir.resolve("src/com/communitypulse/alerts/SpikeBaseline.java");
            Files.createDirectories(src.getParent());
            String original = Files.readString(Path.of("src/main/java/" + EVOLVED_POJO + ".java"), StandardCharsets.UTF_8);
            String anchor = "    public SpikeBaseline() {}";
            if (!original.contains(anchor)) throw new IllegalStateException("SpikeBaseline changed: update the upgrade test's anchor");
            String evolved = original.replace(anchor, String.join("\n",
                    "    /** Added in the \"next release\": restored as 0 from older savepoints. */",
                    "    private long upgradedField;",
                    "    public long getUpgradedField() { return upgradedField; }",
                    "    public void setUpgradedField(long v) { this.upgradedField = v; }",
                    anchor));
            Files.writeString(src, evolved, StandardCharsets.UTF_8);
            Path classes = Files.createDirectories(workDir.resolve("classes"));
            JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
            int rc = javac.run(null, null, null, "--release", "17", "-d", classes.toString(), "-cp", jobJar.toString(), src.toString());
            if (rc != 0) throw new IllegalStateException("could not compile the evolved SpikeBaseline");

            Path testClasses = Path.of("target/test-classes");
            List<Path> added = new ArrayList<>();
            try (Stream<Path> s = Files.list(testClasses.resolve("com/communitypulse/job"))) {
                s.filter(p -> p.getFileName().toString().startsWith("UpgradedPulseJob")).forEach(added::add);
            }
            Path jar = workDir.resolve("pulse-upgraded-job.jar");
            Set<String> replaced = Set.of(EVOLVED_POJO + ".class");
            try (ZipFile in = new ZipFile(jobJar.toFile()); ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(jar))) {
                for (var entries = in.entries(); entries.hasMoreElements();) {
                    ZipEntry e = entries.nextElement();
                    if (replaced.contains(e.getName())) continue;
                    out.putNextEntry(new ZipEntry(e.getName()));
                    try (InputStream is = in.getInputStream(e)) {
                        is.transferTo(out);
                    }
                    out.closeEntry();
                }
                put(out, EVOLVED_POJO + ".class", classes.resolve(EVOLVED_POJO + ".class"));
                for (Path p : added) {
                    put(out, "com/communitypulse/job/" + p.getFileName(), p);
                }
            }
            return jar;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void put(OutputStream o, String name, Path file) throws IOException {
        ZipOutputStream out = (ZipOutputStream) o;
        out.putNextEntry(new ZipEntry(name));
        Files.copy(file, out);
        out.closeEntry();
    }
}
