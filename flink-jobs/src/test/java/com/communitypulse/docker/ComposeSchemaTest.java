package com.communitypulse.docker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docker/compose.yml is a valid Compose file (checked against the Compose Specification schema, no
 * Docker needed) and starts in order: every long-running service has a healthcheck, every
 * depends_on waits on a condition, Kafka keeps its log on a named volume, and the project's images
 * are built inside Docker by the multi-stage docker/Dockerfile.
 */
class ComposeSchemaTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Path ROOT = repoRoot();
    private static final Pattern FROM = Pattern.compile("(?m)^FROM\\s+(\\S+)(?:\\s+AS\\s+(\\S+))?");

    @Test
    void shouldValidateAgainstTheComposeSpecificationWhenDockerComposeReadsTheFile() throws IOException {
        assertThat(problems(compose())).as("docker/compose.yml against the Compose Specification").isEmpty();
        // The schema does reject a broken file: an unknown service key and a wrong depends_on condition.
        JsonNode broken = compose();
        ((com.fasterxml.jackson.databind.node.ObjectNode) broken.path("services").path("kafka")).put("helthcheck", "x");
        ((com.fasterxml.jackson.databind.node.ObjectNode) broken.path("services").path("grafana").path("depends_on").path("prometheus"))
                .put("condition", "service_ready");
        assertThat(problems(broken)).hasSizeGreaterThanOrEqualTo(2);
    }

    @Test
    void shouldWaitOnHealthWhenServicesStart() throws IOException {
        JsonNode services = compose().path("services");
        List<String> missing = new ArrayList<>();
        for (Map.Entry<String, JsonNode> s : iterable(services)) {
            JsonNode svc = s.getValue();
            boolean oneShot = svc.path("restart").asText("").equals("no");
            JsonNode test = svc.path("healthcheck").path("test");
            if (!oneShot && (!test.isArray() || test.isEmpty())) missing.add(s.getKey() + ": no healthcheck");
            JsonNode deps = svc.path("depends_on");
            if (deps.isArray()) missing.add(s.getKey() + ": depends_on without conditions");
            for (Map.Entry<String, JsonNode> d : iterable(deps)) {
                String condition = d.getValue().path("condition").asText("");
                JsonNode dep = services.path(d.getKey());
                boolean depOneShot = dep.path("restart").asText("").equals("no");
                String wanted = depOneShot ? "service_completed_successfully" : "service_healthy";
                if (!condition.equals(wanted)) missing.add(s.getKey() + " -> " + d.getKey() + ": condition '" + condition + "', want " + wanted);
                if (!depOneShot && !dep.has("healthcheck")) missing.add(s.getKey() + " -> " + d.getKey() + ": waits on health it has no check for");
            }
        }
        assertThat(services.size()).isGreaterThanOrEqualTo(9);
        assertThat(missing).isEmpty();
    }

    @Test
    void shouldKeepKafkasLogOnANamedVolumeWhenTheStackRestarts() throws IOException {
        JsonNode compose = compose();
        JsonNode kafka = compose.path("services").path("kafka");
        String logDir = kafka.path("environment").path("KAFKA_LOG_DIRS").asText();
        assertThat(logDir).isNotEmpty();
        boolean mounted = false;
        for (JsonNode v : kafka.path("volumes")) {
            String[] parts = v.asText().split(":");
            if (parts.length >= 2 && parts[1].equals(logDir) && compose.path("volumes").has(parts[0])) mounted = true;
        }
        assertThat(mounted).as("kafka mounts a declared named volume at its log dir " + logDir).isTrue();
        assertThat(kafka.path("environment").path("CLUSTER_ID").asText()).as("fixed cluster id for a persisted log").isNotEmpty();
    }

    @Test
    void shouldBuildTheJobImageInsideDockerWhenComposeBuilds() throws IOException {
        JsonNode services = compose().path("services");
        String dockerfile = Files.readString(ROOT.resolve("docker/Dockerfile"));
        List<String> stages = new ArrayList<>();
        Matcher f = FROM.matcher(dockerfile);
        while (f.find()) stages.add(f.group(2));
        assertThat(stages).as("stages of docker/Dockerfile").hasSizeGreaterThanOrEqualTo(2).contains("build", "flink-job", "app");
        assertThat(dockerfile).as("the build stage runs Maven").containsPattern("(?m)^RUN .*\\n?.*mvn ");
        assertThat(dockerfile).as("no jar comes from the host's target/").doesNotContainPattern("(?m)^COPY (?!--from)\\S*target/");
        assertThat(dockerfile).contains("COPY --from=build /src/pulse-job.jar /opt/flink/usrlib/pulse-job.jar")
                .contains("COPY --from=build /src/pulse-job.jar /app/pulse-job.jar").contains("COPY --from=build /src/lib/ /app/lib/");
        for (String name : List.of("jobmanager", "taskmanager", "exporter", "generator")) {
            JsonNode build = services.path(name).path("build");
            assertThat(build.path("dockerfile").asText()).as(name + " build").isEqualTo("docker/Dockerfile");
            assertThat(ROOT.resolve("docker").resolve(build.path("context").asText()).normalize()).isEqualTo(ROOT);
            assertThat(stages).contains(build.path("target").asText());
            assertThat(build.path("target").asText()).isNotEqualTo("build");
        }
        String ignore = Files.readString(ROOT.resolve(".dockerignore"));
        assertThat(ignore).contains("**/target").contains(".git");
        // The generator's command line uses the app image's layout.
        assertThat(services.path("generator").path("command").toString()).contains("/app/lib/*:/app/pulse-job.jar");
    }

    private static Set<ValidationMessage> problems(JsonNode compose) throws IOException {
        try (InputStream in = ComposeSchemaTest.class.getResourceAsStream("/compose-spec/compose-spec.json")) {
            // The upstream schema's relative $id ("compose_spec.json") is no absolute URI; its $refs are all local.
            com.fasterxml.jackson.databind.node.ObjectNode node = (com.fasterxml.jackson.databind.node.ObjectNode) new ObjectMapper().readTree(in);
            node.remove("$id");
            JsonSchema schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7).getSchema(node);
            return schema.validate(compose);
        }
    }

    private static JsonNode compose() throws IOException {
        return YAML.readTree(ROOT.resolve("docker/compose.yml").toFile());
    }

    private static Iterable<Map.Entry<String, JsonNode>> iterable(JsonNode n) {
        return n::fields;
    }

    private static Path repoRoot() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.isRegularFile(p.resolve("docker/compose.yml"))) p = p.getParent();
        if (p == null) throw new IllegalStateException("run from inside the repository: docker/compose.yml not found");
        return p;
    }
}
