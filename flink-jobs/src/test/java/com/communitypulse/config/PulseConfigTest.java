package com.communitypulse.config;

import com.communitypulse.flags.Option;
import static org.assertj.core.api.Assertions.assertThat;

import com.communitypulse.cli.PulseCli;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * {@link PulseConfig#ALL} is derived from the option fields, not kept by hand: these tests check it
 * against the two things it must agree with, the fields as written in the source and the
 * configuration table {@code pulse config --markdown} prints for the docs; docs/CONFIGURATION.md
 * must carry that table as printed.
 */
class PulseConfigTest {
    private static final Path SOURCE = Path.of("src/main/java/com/communitypulse/config/PulseConfig.java");
    /** A declaration as written, read from the source text rather than through reflection. */
    private static final Pattern DECLARATION = Pattern.compile("public static final Option<[^=]*>\\s+(\\w+)\\s*=");

    @Test
    void shouldListEveryOptionFieldOnceInTheOrderTheSourceDeclaresThem() throws IOException, IllegalAccessException {
        List<String> declared = new ArrayList<>();
        Matcher m = DECLARATION.matcher(Files.readString(SOURCE));
        while (m.find()) declared.add(m.group(1));
        assertThat(declared).as("option declarations found in " + SOURCE).hasSizeGreaterThan(50);

        List<Option<?>> expected = new ArrayList<>();
        for (String name : declared) {
            Field f = fieldNamed(name);
            assertThat(Modifier.isStatic(f.getModifiers()) && Modifier.isPublic(f.getModifiers())).as(name).isTrue();
            expected.add((Option<?>) f.get(null));
        }
        assertThat(PulseConfig.ALL).containsExactlyElementsOf(expected);
        assertThat(PulseConfig.ALL).doesNotHaveDuplicates();
    }

    @Test
    void shouldGiveEveryOptionItsOwnKeyAndEnvironmentVariable() {
        List<String> keys = PulseConfig.ALL.stream().map(Option::key).toList();
        assertThat(keys).doesNotHaveDuplicates().allMatch(k -> !k.isBlank() && k.equals(k.trim()));
        // PULSE_<KEY> folds dots and dashes into underscores: two keys differing only there would share a variable.
        Set<String> env = new HashSet<>();
        for (String k : keys) {
            assertThat(env.add("PULSE_" + k.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_')))
                    .as("environment variable of " + k + " is unique").isTrue();
        }
    }

    @Test
    void shouldPrintEveryOptionWithItsDefaultInTheMarkdownTableInOrder() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = PulseCli.run(new String[] {"config", "--markdown"}, new ByteArrayInputStream(new byte[0]),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();

        List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(lines.subList(0, 2)).containsExactly("| key | default | description |", "|---|---|---|");
        List<String> rows = lines.subList(2, lines.size());
        List<String> rowKeys = new ArrayList<>();
        for (String row : rows) {
            assertThat(row).startsWith("| `").endsWith(" |");
            rowKeys.add(row.substring(3, row.indexOf('`', 3)));
        }
        assertThat(rowKeys).containsExactlyElementsOf(PulseConfig.ALL.stream().map(Option::key).toList());
        for (int i = 0; i < rows.size(); i++) {
            Option<?> o = PulseConfig.ALL.get(i);
            assertThat(rows.get(i)).isEqualTo("| `" + o.key() + "` | `" + o.defaultValue() + "` | " + o.description() + " |");
        }
        // Every option field, found by reflection independently of ALL, has its row.
        Set<String> fieldKeys = optionFields().stream().map(Option::key).collect(Collectors.toSet());
        assertThat(new HashSet<>(rowKeys)).isEqualTo(fieldKeys);
    }

    @Test
    void shouldCarryTheMarkdownTableUnchangedInDocsConfiguration() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = PulseCli.run(new String[] {"config", "--markdown"}, new ByteArrayInputStream(new byte[0]),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        assertThat(code).isZero();
        Path page = repositoryRoot().resolve("docs/CONFIGURATION.md");
        List<String> table = Files.readString(page).lines().filter(l -> l.startsWith("|")).toList();
        assertThat(table).as(page + " carries the table of pulse config --markdown (paste its output there)")
                .containsExactlyElementsOf(out.toString(StandardCharsets.UTF_8).lines().toList());
    }

    private static Path repositoryRoot() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.isRegularFile(p.resolve("docs/CONFIGURATION.md"))) p = p.getParent();
        assertThat(p).as("docs/CONFIGURATION.md above " + Path.of("").toAbsolutePath()).isNotNull();
        return p;
    }

    private static Field fieldNamed(String name) {
        try {
            return PulseConfig.class.getDeclaredField(name);
        } catch (NoSuchFieldException e) {
            throw new AssertionError("PulseConfig declares " + name + " in its source but has no such field", e);
        }
    }

    private static List<Option<?>> optionFields() {
        List<Option<?>> all = new ArrayList<>();
        for (Field f : PulseConfig.class.getFields()) {
            if (f.getType() == Option.class && Modifier.isStatic(f.getModifiers())) {
                try {
                    all.add((Option<?>) f.get(null));
                } catch (IllegalAccessException e) {
                    throw new AssertionError(e);
                }
            }
        }
        return all;
    }
}
