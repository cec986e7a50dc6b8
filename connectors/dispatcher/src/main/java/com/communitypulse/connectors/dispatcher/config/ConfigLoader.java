package com.communitypulse.connectors.dispatcher.config;

import com.communitypulse.flags.UsageException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.stream.Collectors;

/** Reads a {@link DispatcherConfig} from YAML/JSON and renders it with secrets masked. */
public final class ConfigLoader {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER))
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    private static final java.util.regex.Pattern SENSITIVE_KEY =
            java.util.regex.Pattern.compile("(?i)password|secret|jaas|token|key|credential");

    private ConfigLoader() {}

    public static DispatcherConfig load(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new UsageException("config file " + file + " does not exist: pass --config with the path of your dispatcher.yaml");
        } catch (IOException e) {
            throw new UsageException("config file " + file + " cannot be read (" + e.getClass().getSimpleName() + "): check permissions");
        }
        DispatcherConfig c = parse(text, file.toString());
        Path dir = file.toAbsolutePath().getParent();
        c.secretsFile = relativeTo(dir, c.secretsFile);
        c.directory = relativeTo(dir, c.directory);
        c.channels.values().forEach(ch -> {
            if (ch != null) {
                ch.template = relativeTo(dir, ch.template);
            }
        });
        return c;
    }

    /** Files named in the config are relative to the config file. */
    private static String relativeTo(Path dir, String path) {
        return path == null || Path.of(path).isAbsolute() || dir == null ? path : dir.resolve(path).toString();
    }

    public static DispatcherConfig parse(String text, String origin) {
        try {
            DispatcherConfig c = YAML.readValue(text, DispatcherConfig.class);
            if (c == null) {
                throw new UsageException("config " + origin + " is empty: see the README for an example");
            }
            return c;
        } catch (JsonMappingException e) {
            String path = e.getPath().stream()
                    .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                    .collect(Collectors.joining(".")).replace(".[", "[");
            throw new UsageException("config " + origin + ": " + (path.isEmpty() ? "" : "at '" + path + "': ")
                    + e.getOriginalMessage().split("\n")[0].replaceAll(" \\(class [^)]*\\)", "")
                    + ": fix the setting (see the README for the format)");
        } catch (IOException e) {
            throw new UsageException("config " + origin + " is not valid YAML/JSON (" + e.getMessage().split("\n")[0] + "): fix the syntax");
        }
    }

    /**
     * The config as YAML with every channel URL, secret and Kafka client property masked: a
     * reference ({@code ${env:NAME}}) is shown as written because it names no secret, a literal is
     * replaced by {@code ****}.
     */
    public static String describeMasked(DispatcherConfig c) {
        ObjectNode tree = YAML.valueToTree(c);
        tree.withObjectProperty("channels").fields().forEachRemaining(e -> {
            ObjectNode ch = (ObjectNode) e.getValue();
            for (String f : new String[] {"url", "secret"}) {
                if (ch.hasNonNull(f)) {
                    ch.put(f, maskLiteral(ch.get(f).asText()));
                }
            }
        });
        ObjectNode props = tree.withObjectProperty("kafka").withObjectProperty("properties");
        props.fields().forEachRemaining(e -> {
            if (SENSITIVE_KEY.matcher(e.getKey()).find()) {
                props.put(e.getKey(), maskLiteral(e.getValue().asText()));
            }
        });
        try {
            return YAML.writeValueAsString(tree);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String maskLiteral(String v) {
        return SecretResolver.isReference(v) ? v : "****";
    }
}
