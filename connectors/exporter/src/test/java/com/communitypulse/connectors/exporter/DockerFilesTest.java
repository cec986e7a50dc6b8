package com.communitypulse.connectors.exporter;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The compose stack and the Kubernetes example refer only to files that exist in the repository
 * and only to pinned images: nobody finds out at {@code docker compose up} that a dashboard was
 * renamed or that {@code latest} moved.
 */
class DockerFilesTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Path ROOT = RepoFiles.root();
    private static final Path DOCKER = ROOT.resolve("docker");
    private static final Pattern FROM = Pattern.compile("(?m)^FROM\\s+(\\S+)(\\s+AS\\s+(\\S+))?");
    private static final Pattern ARG = Pattern.compile("(?m)^ARG\\s+(\\w+)=(\\S+)");
    private static final Pattern COPY = Pattern.compile("(?m)^COPY\\s+(?!--from)(\\S+)\\s+(\\S+)");

    @Test
    void shouldMountOnlyFilesThatExistWhenComposeStarts() throws IOException {
        JsonNode compose = YAML.readTree(DOCKER.resolve("compose.yml").toFile());
        Set<String> namedVolumes = new HashSet<>();
        compose.path("volumes").fieldNames().forEachRemaining(namedVolumes::add);
        List<String> missing = new ArrayList<>();
        int binds = 0;
        for (Map.Entry<String, JsonNode> s : iterable(compose.path("services"))) {
            for (JsonNode v : s.getValue().path("volumes")) {
                String src = v.isTextual() ? v.asText().split(":")[0] : v.path("source").asText();
                if (src.startsWith(".") || src.startsWith("/")) {
                    binds++;
                    if (!Files.exists(DOCKER.resolve(src).normalize())) missing.add(s.getKey() + ": " + src);
                } else if (!namedVolumes.contains(src)) {
                    missing.add(s.getKey() + ": undeclared named volume " + src);
                }
            }
            JsonNode build = s.getValue().path("build");
            if (!build.isMissingNode()) {
                Path context = DOCKER.resolve(build.path("context").asText(".")).normalize();
                Path dockerfile = context.resolve(build.path("dockerfile").asText("Dockerfile"));
                if (!Files.isRegularFile(dockerfile)) {
                    missing.add(s.getKey() + ": Dockerfile " + dockerfile);
                } else {
                    missing.addAll(dockerfileProblems(dockerfile, context, build.path("target").asText(null)));
                }
            }
        }
        assertThat(binds).as("bind mounts in compose.yml").isGreaterThanOrEqualTo(4);
        assertThat(missing).as("files referenced by docker/compose.yml").isEmpty();
    }

    @Test
    void shouldProvisionEveryDashboardAndRuleFileWhenGrafanaAndPrometheusStart() throws IOException {
        JsonNode services = YAML.readTree(DOCKER.resolve("compose.yml").toFile()).path("services");
        List<String> grafanaMounts = mounts(services.path("grafana"));
        List<String> dashboards;
        try (Stream<Path> s = Files.list(ROOT.resolve("dashboards"))) {
            dashboards = s.filter(f -> f.toString().endsWith(".json")).map(f -> "../dashboards/" + f.getFileName()).toList();
        }
        assertThat(dashboards).hasSizeGreaterThanOrEqualTo(4);
        assertThat(grafanaMounts).as("grafana mounts every dashboard").containsAll(dashboards);
        String home = services.path("grafana").path("environment").path("GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH").asText();
        assertThat(targets(services.path("grafana"))).as("home dashboard is mounted").contains(home);

        JsonNode prom = YAML.readTree(ROOT.resolve("dashboards/prometheus/prometheus.yml").toFile());
        List<String> promTargets = targets(services.path("prometheus"));
        for (JsonNode rf : prom.path("rule_files")) {
            assertThat(ROOT.resolve("dashboards/prometheus").resolve(rf.asText())).as("rule file").isRegularFile();
            assertThat(promTargets).as("rule file mounted next to the config").contains("/etc/prometheus/" + rf.asText());
        }
    }

    @Test
    void shouldPinEveryImageWhenComposeOrKubernetesPullsIt() throws IOException {
        List<String> images = new ArrayList<>();
        JsonNode compose = YAML.readTree(DOCKER.resolve("compose.yml").toFile());
        for (Map.Entry<String, JsonNode> s : iterable(compose.path("services"))) {
            assertThat(s.getValue().has("image")).as("service " + s.getKey() + " names its image").isTrue();
            images.add(s.getValue().path("image").asText());
        }
        for (JsonNode doc : k8sDocuments()) {
            if (doc.path("spec").has("image")) images.add(doc.path("spec").path("image").asText());
        }
        String dockerfile = Files.readString(DOCKER.resolve("Dockerfile"));
        Matcher a = ARG.matcher(dockerfile);
        while (a.find()) {
            if (a.group(1).endsWith("_IMAGE")) images.add(a.group(2));
        }
        assertThat(images).hasSizeGreaterThanOrEqualTo(8);
        for (String image : images) {
            assertThat(pinned(image)).as("image '" + image + "' has an explicit tag other than latest").isTrue();
        }
    }

    @Test
    void shouldReferenceTheBuiltJarAndExistingClassesWhenTheOperatorDeploys() throws IOException {
        List<JsonNode> docs = k8sDocuments();
        JsonNode deployment = docs.stream().filter(d -> d.path("kind").asText().equals("FlinkDeployment")).findFirst().orElseThrow();
        String jar = deployment.path("spec").path("job").path("jarURI").asText();
        assertThat(jar).startsWith("local://");
        String dockerfile = Files.readString(DOCKER.resolve("Dockerfile"));
        assertThat(dockerfile).as("the flink-job image puts the jar where jarURI points").contains(" " + jar.substring("local://".length()));
        String entry = deployment.path("spec").path("job").path("entryClass").asText();
        assertThat(ROOT.resolve("flink-jobs/src/main/java/" + entry.replace('.', '/') + ".java")).isRegularFile();
        Set<String> claims = new HashSet<>();
        for (JsonNode d : docs) {
            if (d.path("kind").asText().equals("PersistentVolumeClaim")) claims.add(d.path("metadata").path("name").asText());
        }
        for (JsonNode v : deployment.path("spec").path("podTemplate").path("spec").path("volumes")) {
            if (v.has("persistentVolumeClaim")) {
                assertThat(claims).as("claim of volume " + v.path("name").asText()).contains(v.path("persistentVolumeClaim").path("claimName").asText());
            }
        }
        // The compose JobManager runs the same entry class.
        JsonNode jm = YAML.readTree(DOCKER.resolve("compose.yml").toFile()).path("services").path("jobmanager");
        assertThat(jm.path("command").toString()).contains(entry);
    }

    @Test
    void shouldNameTheOneCommandInTheReadmeWhenAUserStartsTheStack() throws IOException {
        String readme = Files.readString(DOCKER.resolve("README.md"));
        assertThat(readme).contains("docker compose -f docker/compose.yml up");
    }

    /** Problems with a Dockerfile: sources to COPY that are neither in the repo nor a Maven build output of an existing module. */
    private static List<String> dockerfileProblems(Path dockerfile, Path context, String target) throws IOException {
        String text = Files.readString(dockerfile);
        List<String> problems = new ArrayList<>();
        if (target != null) {
            Set<String> stages = new HashSet<>();
            Matcher f = FROM.matcher(text);
            while (f.find()) {
                if (f.group(3) != null) stages.add(f.group(3));
            }
            if (!stages.contains(target)) problems.add(dockerfile + ": no stage " + target);
        }
        Matcher c = COPY.matcher(text);
        while (c.find()) {
            String src = c.group(1);
            int targetDir = src.indexOf("/target/");
            if (targetDir >= 0) {
                // Built by `mvn package`: the module must exist.
                if (!Files.isRegularFile(context.resolve(src.substring(0, targetDir)).resolve("pom.xml"))) {
                    problems.add(dockerfile + ": COPY from a module that does not exist: " + src);
                }
            } else if (!Files.exists(context.resolve(src))) {
                problems.add(dockerfile + ": COPY source missing: " + src);
            }
        }
        return problems;
    }

    private static boolean pinned(String image) {
        if (image.contains("@sha256:")) return true;
        String last = image.substring(image.lastIndexOf('/') + 1);
        int colon = last.indexOf(':');
        if (colon < 0) return false;
        String tag = last.substring(colon + 1);
        return !tag.isEmpty() && !tag.equals("latest") && !tag.contains("$");
    }

    private static List<String> mounts(JsonNode service) {
        List<String> l = new ArrayList<>();
        for (JsonNode v : service.path("volumes")) l.add(v.asText().split(":")[0]);
        return l;
    }

    private static List<String> targets(JsonNode service) {
        List<String> l = new ArrayList<>();
        for (JsonNode v : service.path("volumes")) l.add(v.asText().split(":")[1]);
        return l;
    }

    private static List<JsonNode> k8sDocuments() throws IOException {
        List<JsonNode> docs = new ArrayList<>();
        try (Stream<Path> s = Files.list(DOCKER.resolve("k8s"))) {
            for (Path f : s.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml")).toList()) {
                try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(f.toFile())) {
                    while (it.hasNext()) {
                        JsonNode d = it.next();
                        if (d != null && !d.isEmpty()) docs.add(d);
                    }
                }
            }
        }
        assertThat(docs).as("Kubernetes manifests in docker/k8s").isNotEmpty();
        return docs;
    }

    private static Iterable<Map.Entry<String, JsonNode>> iterable(JsonNode n) {
        return n::fields;
    }
}
