package com.communitypulse.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import com.communitypulse.config.PulseConfig;
import com.communitypulse.generator.GeneratorConfig;
import com.communitypulse.generator.JsonlWriter;
import com.communitypulse.job.PulseJob;
import com.communitypulse.testutils.TestKeys;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Chat text must not reach checkpoints, also not as records in flight. Unaligned checkpoints (the
 * default) persist the records buffered on network edges; when text still crossed the first
 * shuffle, copies of checkpoint directories taken while a back-pressured job ran held the
 * generator's phrases inside serialised events. Here the job runs at parallelism 1 over a data set
 * large enough that its sources outrun the per-user chain (back-pressure), with a checkpoint every
 * 200 ms, while a copier keeps every checkpoint file as soon as it appears (completed checkpoints
 * are deleted again after the retained count). No copied byte may hold a generator phrase.
 */
class PrivacyUnderBackPressureITCase {
    @TempDir
    Path tmp;

    @Test
    void shouldKeepChatTextOutOfCheckpointsTakenUnderBackPressure() throws Exception {
        Path in = tmp.resolve("in");
        GeneratorConfig gen = GeneratorConfig.builder().seed(31).communities(20).members(2_000).days(2).eventsTarget(30_000).build();
        JsonlWriter.write(gen, in);
        List<String> phrases = phrasesWithoutExcerpts();
        assertThat(phrases).hasSizeGreaterThan(20);
        String inputText = new String(Files.readAllBytes(in.resolve("pulse.messages.jsonl")), StandardCharsets.UTF_8);
        assertThat(phrases.stream().filter(inputText::contains).count()).as("the input carries the phrases").isGreaterThan(10);

        Path cp = tmp.resolve("cp");
        PulseConfig cfg = PulseConfig.of(Map.of("checkpoint.dir", cp.toUri().toString(), "checkpoint.interval", "200ms",
                "checkpoint.retained", "2", "parallelism", "1", "metrics.prometheus-port", "0", "web.port", "0",
                "privacy.key-file", TestKeys.file(tmp.resolve("keys"))));
        Map<Path, byte[]> copies = new HashMap<>();
        Set<String> checkpointsSeen = new LinkedHashSet<>();
        AtomicBoolean done = new AtomicBoolean();
        Thread copier = new Thread(() -> {
            while (!done.get()) {
                copyNewFiles(cp, copies, checkpointsSeen);
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
            }
            copyNewFiles(cp, copies, checkpointsSeen);
        }, "checkpoint-copier");
        copier.start();
        try {
            PulseJob.runFiles(cfg, in, tmp.resolve("out"));
        } finally {
            done.set(true);
            copier.join();
        }

        assertThat(checkpointsSeen).as("checkpoints copied while the job ran").hasSizeGreaterThanOrEqualTo(3);
        List<String> leaks = new ArrayList<>();
        for (Map.Entry<Path, byte[]> f : copies.entrySet()) {
            String bytes = new String(f.getValue(), StandardCharsets.UTF_8);
            for (String p : phrases) {
                if (bytes.contains(p)) leaks.add(cp.relativize(f.getKey()) + ": " + p);
            }
        }
        System.out.printf("PrivacyUnderBackPressureITCase: %d checkpoints, %d files (%d KB) copied while running%n",
                checkpointsSeen.size(), copies.size(), copies.values().stream().mapToLong(b -> b.length).sum() / 1024);
        assertThat(leaks).as("generator phrases in checkpoint files").isEmpty();
    }

    /** Every file under the checkpoint directory, read once it appeared (again when it grew). */
    private static void copyNewFiles(Path cp, Map<Path, byte[]> copies, Set<String> checkpoints) {
        if (!Files.isDirectory(cp)) return;
        try (Stream<Path> s = Files.walk(cp)) {
            for (Path f : s.filter(Files::isRegularFile).toList()) {
                try {
                    byte[] b = Files.readAllBytes(f);
                    byte[] had = copies.get(f);
                    if (had == null || had.length < b.length) copies.put(f, b);
                    for (Path p = f.getParent(); p != null && !p.equals(cp); p = p.getParent()) {
                        if (p.getFileName().toString().startsWith("chk-")) checkpoints.add(p.getFileName().toString());
                    }
                } catch (IOException gone) {
                    // deleted by checkpoint retention between listing and reading
                }
            }
        } catch (IOException | java.io.UncheckedIOException gone) {
            // a directory went away while walking: the next round sees the rest
        }
    }

    /** The generator's positive, neutral and staff phrases (negative ones leave a masked excerpt with their matched terms). */
    private static List<String> phrasesWithoutExcerpts() throws IOException {
        List<String> out = new ArrayList<>();
        try (InputStream in = PrivacyUnderBackPressureITCase.class.getResourceAsStream("/generator/texts.tsv")) {
            assertThat(in).as("generator/texts.tsv on the classpath").isNotNull();
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String line;
            while ((line = r.readLine()) != null) {
                if (line.isBlank() || line.startsWith("#")) continue;
                String[] f = line.split("\t", 4);
                if (!f[1].equals("negative") && f[3].length() >= 4) out.add(f[3]);
            }
        }
        return out;
    }
}
