package com.communitypulse.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.communitypulse.config.PulseConfig;
import com.communitypulse.connectors.dispatcher.config.ConfigLoader;
import com.communitypulse.connectors.dispatcher.config.DispatcherConfig;
import com.communitypulse.connectors.exporter.ExporterConfig;
import com.communitypulse.kafka.KafkaConnections;
import com.communitypulse.privacy.PrivacyKeys;
import com.communitypulse.security.KafkaSecurity;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.openshift.api.model.monitoring.v1.PodMonitor;
import io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The kustomize packaging of docker/k8s (docker/README.md, Kubernetes): each overlay is rendered by
 * the real {@code kubectl kustomize}, and every rendered object is checked against its schema (the
 * Kubernetes and Prometheus Operator object models with unknown fields as errors, the operator's
 * FlinkDeployment schema), against each other (selectors, ports, volumes, ConfigMaps) and against
 * the project's own parsers: the job, exporter and dispatcher accept exactly the configuration the
 * pods would get. The copies kustomize needs (rules, dashboards) must equal their sources.
 */
class K8sManifestsTest {
    private static final Path ROOT = repoRoot();
    private static final Path K8S = ROOT.resolve("docker/k8s");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Strict binding: a string where the model wants a number is an error, as for the API server. */
    private static final ObjectMapper STRICT = JsonMapper.builder().disable(MapperFeature.ALLOW_COERCION_OF_SCALARS).build();
    private static final Map<String, Class<?>> MODELS = Map.of(
            "v1/ConfigMap", ConfigMap.class,
            "v1/Service", Service.class,
            "v1/PersistentVolumeClaim", PersistentVolumeClaim.class,
            "apps/v1/Deployment", Deployment.class,
            "monitoring.coreos.com/v1/PodMonitor", PodMonitor.class,
            "monitoring.coreos.com/v1/ServiceMonitor", ServiceMonitor.class,
            "monitoring.coreos.com/v1/PrometheusRule", PrometheusRule.class,
            "monitoring.coreos.com/v1alpha1/AlertmanagerConfig", io.fabric8.openshift.api.model.monitoring.v1alpha1.AlertmanagerConfig.class);
    private static final List<String> OVERLAYS = List.of("dev", "production", "production-oss");
    /** The job options that set engine settings (docs/OPERATIONS.md, Where settings come from). */
    private static final List<String> ENGINE_OPTIONS = List.of("checkpoint.dir", "checkpoint.interval", "checkpoint.unaligned",
            "checkpoint.aligned-timeout", "checkpoint.retained", "savepoint.dir", "state.timer-store");
    private static final Pattern ENV_REF = Pattern.compile("\\$\\{env:([A-Za-z0-9_]+)}");

    @Test
    void shouldKeepTheCopiesOfRulesDashboardsAndTheFlinkDeploymentEqualToTheirSources(@TempDir Path tmp) throws Exception {
        Process p = new ProcessBuilder("bash", K8S.resolve("sync.sh").toString(), tmp.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("sync.sh: " + out).isZero();
        for (String f : List.of("base/generated/prometheus-rule.yaml", "base/generated/grafana-dashboards.yaml", "flink-deployment.yaml")) {
            assertThat(firstDifference(Files.readString(K8S.resolve(f)), Files.readString(tmp.resolve(f))))
                    .as("docker/k8s/" + f + " is out of date with its source: run docker/k8s/sync.sh").isNull();
        }
        // Independently of sync.sh: the generated objects carry the sources' content.
        List<JsonNode> dashboards = documents(K8S.resolve("base/generated/grafana-dashboards.yaml"));
        assertThat(dashboards).hasSize(dashboardFiles().size());
        JsonNode rule = documents(K8S.resolve("base/generated/prometheus-rule.yaml")).get(0);
        assertThat(rule.path("spec")).isEqualTo(YAML.readTree(ROOT.resolve("dashboards/prometheus/rules.yml").toFile()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "production", "production-oss"})
    void shouldRenderObjectsThatMatchTheirSchemas(String overlay) throws Exception {
        List<JsonNode> docs = render(overlay);
        List<String> problems = new ArrayList<>();
        JsonSchema flinkSchema = flinkDeploymentSchema();
        for (JsonNode d : docs) {
            String id = d.path("apiVersion").asText() + "/" + d.path("kind").asText();
            String where = overlay + " " + id + " " + d.path("metadata").path("name").asText();
            if (id.equals("flink.apache.org/v1beta1/FlinkDeployment")) {
                flinkSchema.validate(d).forEach(m -> problems.add(where + ": " + m.getMessage()));
                problems.addAll(strict(d.path("metadata"), ObjectMeta.class, where + " metadata"));
                for (JsonNode tpl : List.of(d.path("spec").path("podTemplate"), d.path("spec").path("jobManager").path("podTemplate"),
                        d.path("spec").path("taskManager").path("podTemplate"))) {
                    if (!tpl.isMissingNode()) problems.addAll(strict(tpl, Pod.class, where + " podTemplate"));
                }
            } else if (MODELS.containsKey(id)) {
                problems.addAll(strict(d, MODELS.get(id), where));
            } else {
                problems.add(where + ": no schema for this kind in K8sManifestsTest: add its model");
            }
            if (d.path("kind").asText().equals("Secret")) problems.add(where + ": secrets are referenced, never rendered");
        }
        assertThat(problems).isEmpty();
        assertThat(docs.stream().map(d -> d.path("kind").asText()).toList())
                .contains("FlinkDeployment", "Deployment", "Service", "PodMonitor", "PrometheusRule", "ConfigMap", "AlertmanagerConfig");
    }

    /**
     * Every rule's alert reaches the same receiver through the cluster's AlertmanagerConfig as through
     * the compose stack's alertmanager.yml (which PrometheusLauncherITCase runs in a real Alertmanager),
     * and a critical alert mutes the warnings of its service in both.
     */
    @ParameterizedTest
    @ValueSource(strings = {"dev", "production", "production-oss"})
    void shouldRouteEveryRuleLikeTheComposeAlertmanager(String overlay) throws Exception {
        JsonNode amc = single(render(overlay), "AlertmanagerConfig").path("spec");
        JsonNode compose = YAML.readTree(ROOT.resolve("dashboards/prometheus/alertmanager.yml").toFile());
        Set<String> receivers = new TreeSet<>();
        amc.path("receivers").forEach(r -> receivers.add(r.path("name").asText()));
        int rules = 0;
        for (JsonNode group : YAML.readTree(ROOT.resolve("dashboards/prometheus/rules.yml").toFile()).path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                Map<String, String> labels = new HashMap<>();
                rule.path("labels").fields().forEachRemaining(f -> labels.put(f.getKey(), f.getValue().asText()));
                labels.put("alertname", rule.path("alert").asText());
                String viaCompose = composeReceiver(compose.path("route"), labels);
                String viaCluster = clusterReceiver(amc.path("route"), labels);
                assertThat(viaCluster).as(overlay + " " + labels.get("alertname") + " routed to").isEqualTo(viaCompose).isNotEqualTo("pulse-default");
                assertThat(receivers).contains(viaCluster);
                rules++;
            }
        }
        assertThat(rules).isGreaterThan(5);
        JsonNode inhibit = amc.path("inhibitRules").get(0);
        assertThat(inhibit.path("sourceMatch").get(0).path("value").asText()).isEqualTo("critical");
        assertThat(inhibit.path("targetMatch").get(0).path("value").asText()).isEqualTo("warning");
        assertThat(inhibit.path("equal")).isEqualTo(compose.path("inhibit_rules").get(0).path("equal"));
    }

    /** First matching child route, recursively, as Alertmanager does without {@code continue}; matchers as 'k="v"'. */
    private static String composeReceiver(JsonNode route, Map<String, String> labels) {
        for (JsonNode child : route.path("routes")) {
            boolean all = true;
            for (JsonNode m : child.path("matchers")) {
                Matcher mm = Pattern.compile("(\\w+)=\"([^\"]*)\"").matcher(m.asText());
                all &= mm.matches() && mm.group(2).equals(labels.get(mm.group(1)));
            }
            if (all) return composeReceiver(child, labels);
        }
        return route.path("receiver").asText();
    }

    /** The same walk over the operator's route: matchers as {name, value}; its top route already filters on them. */
    private static String clusterReceiver(JsonNode route, Map<String, String> labels) {
        for (JsonNode m : route.path("matchers")) {
            if (!m.path("value").asText().equals(labels.get(m.path("name").asText()))) return "pulse-default";
        }
        for (JsonNode child : route.path("routes")) {
            boolean all = true;
            for (JsonNode m : child.path("matchers")) all &= m.path("value").asText().equals(labels.get(m.path("name").asText()));
            if (all) return child.path("receiver").asText();
        }
        return route.path("receiver").asText();
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "production", "production-oss"})
    void shouldWireSelectorsPortsVolumesAndProbesConsistently(String overlay) throws Exception {
        List<JsonNode> docs = render(overlay);
        Map<String, JsonNode> configMaps = byName(docs, "ConfigMap");
        Set<String> claims = byName(docs, "PersistentVolumeClaim").keySet();
        JsonNode flink = single(docs, "FlinkDeployment");
        // name -> pod template (metadata + spec) of every workload
        Map<String, JsonNode> pods = new LinkedHashMap<>();
        pods.put("flink", flink.path("spec").path("podTemplate"));
        for (JsonNode d : byName(docs, "Deployment").values()) {
            JsonNode labels = d.path("spec").path("template").path("metadata").path("labels");
            assertThat(matches(d.path("spec").path("selector"), labels)).as(overlay + " " + name(d) + " selector matches its pods").isTrue();
            pods.put(name(d), d.path("spec").path("template"));
        }
        for (Map.Entry<String, JsonNode> e : pods.entrySet()) {
            JsonNode spec = e.getValue().path("spec");
            Set<String> volumes = new TreeSet<>();
            for (JsonNode v : spec.path("volumes")) {
                volumes.add(v.path("name").asText());
                if (v.has("configMap")) assertThat(configMaps).as(e.getKey() + " volume").containsKey(v.path("configMap").path("name").asText());
                if (v.has("persistentVolumeClaim")) assertThat(claims).as(e.getKey() + " claim").contains(v.path("persistentVolumeClaim").path("claimName").asText());
                if (v.has("secret")) assertThat(v.path("secret").path("items")).as(e.getKey() + " secret volume lists its keys").isNotEmpty();
            }
            for (JsonNode c : spec.path("containers")) {
                String where = overlay + " " + e.getKey() + "/" + c.path("name").asText();
                Set<String> ports = new TreeSet<>();
                c.path("ports").forEach(p -> ports.add(p.path("name").asText()));
                for (JsonNode m : c.path("volumeMounts")) assertThat(volumes).as(where + " mount").contains(m.path("name").asText());
                for (JsonNode ef : c.path("envFrom")) assertThat(configMaps).as(where + " envFrom").containsKey(ef.path("configMapRef").path("name").asText());
                for (String probe : List.of("readinessProbe", "livenessProbe")) {
                    JsonNode pr = c.path(probe);
                    assertThat(pr.isObject()).as(where + " has a " + probe).isTrue();
                    JsonNode port = pr.has("httpGet") ? pr.path("httpGet").path("port") : pr.path("tcpSocket").path("port");
                    assertThat(port.isInt() || ports.contains(port.asText())).as(where + " " + probe + " port " + port + " is one of " + ports).isTrue();
                }
                if (!e.getKey().equals("flink")) {
                    assertThat(c.path("resources").path("requests").path("memory").isTextual()).as(where + " memory request").isTrue();
                    assertThat(c.path("resources").path("limits").path("memory").isTextual()).as(where + " memory limit").isTrue();
                    assertThat(c.path("resources").path("requests").path("cpu").isTextual()).as(where + " cpu request").isTrue();
                }
            }
        }
        // The operator sizes the Flink containers from these.
        for (String component : List.of("jobManager", "taskManager")) {
            JsonNode r = flink.path("spec").path(component).path("resource");
            assertThat(r.has("cpu") && r.has("memory")).as(overlay + " " + component + ".resource").isTrue();
        }
        for (JsonNode s : byName(docs, "Service").values()) {
            JsonNode selected = pods.values().stream().filter(p -> matchesLabels(s.path("spec").path("selector"), p.path("metadata").path("labels")))
                    .findFirst().orElse(null);
            assertThat(selected).as(overlay + " service " + name(s) + " selects a pod template").isNotNull();
            for (JsonNode port : s.path("spec").path("ports")) {
                assertThat(containerPorts(selected)).as(overlay + " service " + name(s) + " targetPort").contains(port.path("targetPort").asText());
            }
        }

        // Scraping: the PodMonitor selects the three kinds of pod, names their jobs as the rules expect.
        JsonNode monitor = single(docs, "PodMonitor");
        String jobLabel = monitor.path("spec").path("jobLabel").asText();
        Set<String> jobs = new TreeSet<>();
        for (Map.Entry<String, JsonNode> e : pods.entrySet()) {
            JsonNode labels = e.getValue().path("metadata").path("labels");
            assertThat(matches(monitor.path("spec").path("selector"), labels)).as(overlay + " PodMonitor selects " + e.getKey()).isTrue();
            for (JsonNode ep : monitor.path("spec").path("podMetricsEndpoints")) {
                assertThat(containerPorts(e.getValue())).as(e.getKey() + " has the scraped port").contains(ep.path("port").asText());
            }
            jobs.add(labels.path(jobLabel).asText());
        }
        Set<String> ruleJobs = new TreeSet<>();
        Matcher m = Pattern.compile("\\bup\\{job=\"([^\"]+)\"}").matcher(Files.readString(ROOT.resolve("dashboards/prometheus/rules.yml")));
        while (m.find()) ruleJobs.add(m.group(1));
        assertThat(ruleJobs).isNotEmpty();
        assertThat(jobs).as("job labels given by the PodMonitor = jobs of the up{} rules").isEqualTo(ruleJobs);

        // Rules and dashboards, as rendered, are the repository's.
        assertThat(single(docs, "PrometheusRule").path("spec")).isEqualTo(YAML.readTree(ROOT.resolve("dashboards/prometheus/rules.yml").toFile()));
        Map<String, String> shipped = new HashMap<>();
        for (JsonNode cm : configMaps.values()) {
            if (cm.path("metadata").path("labels").path("grafana_dashboard").asText().equals("1")) {
                cm.path("data").fields().forEachRemaining(f -> shipped.put(f.getKey(), f.getValue().asText()));
            }
        }
        Map<String, String> sources = new HashMap<>();
        for (Path f : dashboardFiles()) sources.put(f.getFileName().toString(), Files.readString(f));
        assertThat(shipped.keySet()).as("Grafana sidecar ConfigMaps = dashboards/*.json").isEqualTo(sources.keySet());
        for (String f : sources.keySet()) {
            assertThat(firstDifference(shipped.get(f), sources.get(f))).as(overlay + ": ConfigMap copy of dashboards/" + f + " (run docker/k8s/sync.sh)").isNull();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "production", "production-oss"})
    void shouldGiveTheJobExporterAndDispatcherAConfigurationTheyAccept(String overlay, @TempDir Path tmp) throws Exception {
        List<JsonNode> docs = render(overlay);
        Map<String, JsonNode> configMaps = byName(docs, "ConfigMap");
        JsonNode flink = single(docs, "FlinkDeployment");
        JsonNode fc = flink.path("spec").path("flinkConfiguration");

        // Job: PulseJob.main's parsing and secret checks, with the pod's environment and mounted files.
        JsonNode flinkPod = flink.path("spec").path("podTemplate");
        Container job = container(flinkPod, "flink-main-container", configMaps, tmp);
        List<String> jobArgs = new ArrayList<>();
        flink.path("spec").path("job").path("args").forEach(a -> jobArgs.add(job.rewrite(a.asText())));
        PulseConfig cfg = PulseConfig.fromArgs(jobArgs, job.env, List.of(), new HashMap<>());
        KafkaSecurity jobSecurity = KafkaConnections.security(cfg, job.env);
        PrivacyKeys.pseudonymizer(cfg, job.env);
        assertThat(cfg.get(PulseConfig.PARALLELISM)).as(overlay + ": PULSE_PARALLELISM = spec.job.parallelism")
                .isEqualTo(flink.path("spec").path("job").path("parallelism").asInt());
        int slots = Integer.parseInt(fc.path("taskmanager.numberOfTaskSlots").asText())
                * flink.path("spec").path("taskManager").path("replicas").asInt(1);
        assertThat(cfg.get(PulseConfig.PARALLELISM)).as(overlay + ": parallelism fits the task slots").isLessThanOrEqualTo(slots);
        // The cluster's flinkConfiguration decides the engine settings (docs/OPERATIONS.md, Where settings come from):
        // a job option for one of them, in pulse-env or the args, would silently override it.
        assertThat(PulseConfig.ALL.stream().map(o -> o.key()).toList()).as("engine options are job options").containsAll(ENGINE_OPTIONS);
        for (String engine : ENGINE_OPTIONS) {
            String envName = "PULSE_" + engine.toUpperCase(java.util.Locale.ROOT).replace('.', '_').replace('-', '_');
            assertThat(job.env).as(overlay + ": " + envName + " would override flinkConfiguration: set it there instead").doesNotContainKey(envName);
            assertThat(jobArgs).as(overlay + ": --" + engine + " would override flinkConfiguration: set it there instead")
                    .noneMatch(a -> a.equals("--" + engine) || a.startsWith("--" + engine + "="));
        }
        for (String key : List.of("execution.checkpointing.dir", "execution.checkpointing.savepoint-dir", "high-availability.storageDir")) {
            assertThat(fc.path(key).asText()).as(overlay + ": flinkConfiguration " + key).isNotEmpty();
        }
        for (String dir : List.of(fc.path("execution.checkpointing.dir").asText(), fc.path("high-availability.storageDir").asText())) {
            String plugins = job.env.getOrDefault("ENABLE_BUILT_IN_PLUGINS", "");
            if (dir.startsWith("file://")) {
                assertThat(job.mountedClaims).as(overlay + ": " + dir + " lies on a mounted volume claim")
                        .anyMatch(mount -> dir.substring("file://".length()).startsWith(mount + "/"));
            } else if (dir.startsWith("s3://")) {
                assertThat(plugins).as(overlay + ": " + dir + " needs the S3 filesystem plugin").matches(".*flink-s3-fs-(presto|hadoop)-[0-9.]+\\.jar.*");
            } else if (dir.startsWith("oss://")) {
                assertThat(plugins).as(overlay + ": " + dir + " needs the OSS filesystem plugin").matches(".*flink-oss-fs-hadoop-[0-9.]+\\.jar.*");
                assertThat(fc.path("fs.oss.endpoint").asText()).as(overlay + ": fs.oss.endpoint").isNotEmpty();
            } else {
                throw new AssertionError(overlay + ": unexpected storage " + dir);
            }
        }

        // Exporter: ExporterMain's parsing (including the Kafka secrets) of the container's args and env.
        JsonNode exporterPod = single(byNameFilter(docs, "Deployment", "pulse-exporter")).path("spec").path("template");
        Container exporter = container(exporterPod, "exporter", configMaps, tmp);
        assertThat(exporter.args.get(0)).isEqualTo(com.communitypulse.connectors.exporter.ExporterMain.class.getName());
        ExporterConfig ec = ExporterConfig.parse(exporter.args.subList(1, exporter.args.size()), exporter.env);
        assertThat(ec.get(ExporterConfig.BOOTSTRAP)).isEqualTo(cfg.get(PulseConfig.BOOTSTRAP));
        assertThat(ec.get(ExporterConfig.BIND_HOST)).as("the exporter listens beyond the pod's loopback").isEqualTo("0.0.0.0");
        assertThat(ec.get(ExporterConfig.PORT)).isEqualTo(containerPort(exporterPod, "metrics"));
        assertThat(ec.security().toString()).isEqualTo(jobSecurity.toString());

        // Dispatcher: its config file as mounted, validated; env references resolvable; same Kafka as the job.
        JsonNode dispatcherPod = single(byNameFilter(docs, "Deployment", "pulse-dispatcher")).path("spec").path("template");
        Container dispatcher = container(dispatcherPod, "dispatcher", configMaps, tmp);
        assertThat(dispatcher.args.get(0)).isEqualTo(com.communitypulse.connectors.dispatcher.DispatcherMain.class.getName());
        assertThat(dispatcher.args.subList(1, dispatcher.args.size())).as("dispatcher flags").containsExactly("--config", dispatcher.args.get(2));
        Path configFile = Path.of(dispatcher.args.get(2));
        assertThat(configFile).as("the dispatcher's --config file is mounted").isRegularFile();
        String text = Files.readString(configFile);
        DispatcherConfig dc = ConfigLoader.parse(text, configFile.toString()).validate();
        Matcher refs = ENV_REF.matcher(text);
        while (refs.find()) assertThat(dispatcher.env).as(overlay + " dispatcher env for ${env:" + refs.group(1) + "}").containsKey(refs.group(1));
        assertThat(dc.kafka.bootstrapServers).as(overlay + ": dispatcher and job read the same Kafka").isEqualTo(cfg.get(PulseConfig.BOOTSTRAP));
        assertThat(String.valueOf(dc.metrics.port)).isEqualTo(containerPort(dispatcherPod, "metrics"));
        assertThat(dc.metrics.host).isEqualTo("0.0.0.0");
        KafkaSecurity ds = KafkaSecurity.from(k -> dispatcher.rewrite(dc.kafka.security.get(k.substring("kafka.".length()))), dispatcher.env::get);
        assertThat(ds.toString()).as(overlay + ": dispatcher's Kafka security = the job's").isEqualTo(jobSecurity.toString());

        // One image build for all: the same registry and tag for the Flink and the app images.
        String flinkImage = flink.path("spec").path("image").asText();
        for (JsonNode d : byName(docs, "Deployment").values()) {
            for (JsonNode c : d.path("spec").path("template").path("spec").path("containers")) {
                String image = c.path("image").asText();
                assertThat(image.substring(0, image.lastIndexOf('/'))).as(overlay + " registry of " + image).isEqualTo(flinkImage.substring(0, flinkImage.lastIndexOf('/')));
                assertThat(image.substring(image.lastIndexOf(':'))).as(overlay + " tag of " + image).isEqualTo(flinkImage.substring(flinkImage.lastIndexOf(':')));
            }
        }
    }

    @Test
    void shouldDocumentEveryReferencedSecretAndOverlay() throws Exception {
        String readme = Files.readString(ROOT.resolve("docker/README.md"));
        for (String overlay : OVERLAYS) {
            assertThat(readme).contains("overlays/" + overlay);
            for (Map.Entry<String, Set<String>> s : referencedSecrets(render(overlay)).entrySet()) {
                assertThat(readme).as("docker/README.md documents Secret " + s.getKey()).contains("`" + s.getKey() + "`");
                for (String key : s.getValue()) assertThat(readme).as("docker/README.md documents key " + key + " of " + s.getKey()).contains(key);
            }
        }
    }

    // --- rendering and schema checks --------------------------------------------------------------

    private static final Map<String, List<JsonNode>> RENDERED = new java.util.concurrent.ConcurrentHashMap<>();

    private static List<JsonNode> render(String overlay) throws Exception {
        assumeThat(onPath("kubectl")).as("kubectl is not installed (Debian: apt-get install kubernetes-client; .ci/run installs it): "
                + "K8sManifestsTest renders the kustomize overlays with it").isTrue();
        if (RENDERED.containsKey(overlay)) return RENDERED.get(overlay);
        Path err = Files.createTempFile("kustomize", ".err");
        Process p = new ProcessBuilder("kubectl", "kustomize", K8S.resolve("overlays").resolve(overlay).toString())
                .redirectError(err.toFile()).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("kubectl kustomize overlays/" + overlay + ": " + Files.readString(err)).isZero();
        Files.delete(err);
        List<JsonNode> docs = new ArrayList<>();
        try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(out)) {
            while (it.hasNext()) {
                JsonNode d = it.next();
                if (d != null && !d.isEmpty()) docs.add(d);
            }
        }
        RENDERED.put(overlay, docs);
        return docs;
    }

    private static JsonSchema flinkDeploymentSchema() throws IOException {
        try (InputStream in = K8sManifestsTest.class.getResourceAsStream("/k8s/flinkdeployment-v1beta1.schema.json")) {
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7).getSchema(in);
        }
    }

    /** Binds {@code node} to the model class and reports every field the model does not know, with its path. */
    static List<String> strict(JsonNode node, Class<?> model, String where) {
        List<String> problems = new ArrayList<>();
        Object bound;
        try {
            bound = STRICT.treeToValue(node, model);
        } catch (IOException e) {
            problems.add(where + ": " + e.getMessage().split("\n")[0]);
            return problems;
        }
        unknownFields(bound, where, problems);
        return problems;
    }

    private static void unknownFields(Object o, String path, List<String> problems) {
        if (o == null || o instanceof String || o instanceof Number || o instanceof Boolean || o instanceof Enum<?>) return;
        if (o instanceof Map<?, ?> m) {
            m.forEach((k, v) -> unknownFields(v, path + "." + k, problems));
            return;
        }
        if (o instanceof Collection<?> c) {
            int i = 0;
            for (Object e : c) unknownFields(e, path + "[" + i++ + "]", problems);
            return;
        }
        if (!o.getClass().getName().startsWith("io.fabric8.")) return;
        for (Method m : o.getClass().getMethods()) {
            if (m.getParameterCount() != 0 || Modifier.isStatic(m.getModifiers()) || !m.getName().startsWith("get")
                    || m.getDeclaringClass() == Object.class) continue;
            Object v;
            try {
                v = m.invoke(o);
            } catch (ReflectiveOperationException e) {
                continue;
            }
            if (m.getName().equals("getAdditionalProperties")) {
                if (v instanceof Map<?, ?> extra && !extra.isEmpty()) problems.add(path + ": unknown field(s) " + extra.keySet());
            } else {
                unknownFields(v, path + "." + Character.toLowerCase(m.getName().charAt(3)) + m.getName().substring(4), problems);
            }
        }
    }

    // --- a container as it would run: environment, args, mounted files -----------------------------

    /** A container's env (ConfigMaps + literal values + placeholder secrets) and args, with mount paths moved under a temp dir. */
    static final class Container {
        final Map<String, String> env = new LinkedHashMap<>();
        final List<String> args = new ArrayList<>();
        final Map<String, Path> mounts = new LinkedHashMap<>();
        final List<String> mountedClaims = new ArrayList<>();

        String rewrite(String value) {
            if (value == null) return null;
            for (Map.Entry<String, Path> m : mounts.entrySet()) {
                if (value.equals(m.getKey()) || value.startsWith(m.getKey() + "/")) {
                    return m.getValue() + value.substring(m.getKey().length());
                }
            }
            return value;
        }
    }

    private static Container container(JsonNode pod, String name, Map<String, JsonNode> configMaps, Path tmp) throws IOException {
        JsonNode c = null;
        for (JsonNode x : pod.path("spec").path("containers")) if (x.path("name").asText().equals(name)) c = x;
        assertThat(c).as("container " + name).isNotNull();
        Map<String, JsonNode> volumes = new HashMap<>();
        pod.path("spec").path("volumes").forEach(v -> volumes.put(v.path("name").asText(), v));
        Container out = new Container();
        for (JsonNode m : c.path("volumeMounts")) {
            JsonNode v = volumes.get(m.path("name").asText());
            String mountPath = m.path("mountPath").asText();
            Path dir = tmp.resolve(mountPath.substring(1));
            Files.createDirectories(dir);
            out.mounts.put(mountPath, dir);
            if (v.has("secret")) {
                for (JsonNode item : v.path("secret").path("items")) {
                    // Stand-in content: 32 random-looking bytes as base64 (a privacy key), good for a password too.
                    Files.writeString(dir.resolve(item.path("path").asText()), "placeholder-" + item.path("key").asText() + "-0123456789abcdef0123456789abcdef");
                }
            } else if (v.has("configMap")) {
                JsonNode cm = configMaps.get(v.path("configMap").path("name").asText());
                for (var f : iterable(cm.path("data"))) Files.writeString(dir.resolve(f.getKey()), f.getValue().asText());
            } else if (v.has("persistentVolumeClaim")) {
                out.mountedClaims.add(mountPath);
            }
        }
        for (JsonNode ef : c.path("envFrom")) {
            strings(configMaps.get(ef.path("configMapRef").path("name").asText()).path("data")).forEach((k, val) -> out.env.put(k, out.rewrite(val)));
        }
        for (JsonNode e : c.path("env")) {
            JsonNode ref = e.path("valueFrom").path("secretKeyRef");
            out.env.put(e.path("name").asText(), ref.isMissingNode() ? out.rewrite(e.path("value").asText()) : "placeholder-" + ref.path("key").asText());
        }
        c.path("args").forEach(a -> out.args.add(out.rewrite(a.asText())));
        return out;
    }

    private static Map<String, Set<String>> referencedSecrets(List<JsonNode> docs) {
        Map<String, Set<String>> secrets = new LinkedHashMap<>();
        List<JsonNode> specs = new ArrayList<>();
        for (JsonNode d : docs) {
            if (d.path("kind").asText().equals("Deployment")) specs.add(d.path("spec").path("template").path("spec"));
            if (d.path("kind").asText().equals("FlinkDeployment")) specs.add(d.path("spec").path("podTemplate").path("spec"));
        }
        for (JsonNode spec : specs) {
            for (JsonNode v : spec.path("volumes")) {
                if (!v.has("secret")) continue;
                Set<String> keys = secrets.computeIfAbsent(v.path("secret").path("secretName").asText(), k -> new TreeSet<>());
                v.path("secret").path("items").forEach(i -> keys.add(i.path("key").asText()));
            }
            for (JsonNode c : spec.path("containers")) {
                for (JsonNode e : c.path("env")) {
                    JsonNode ref = e.path("valueFrom").path("secretKeyRef");
                    if (!ref.isMissingNode()) secrets.computeIfAbsent(ref.path("name").asText(), k -> new TreeSet<>()).add(ref.path("key").asText());
                }
            }
        }
        assertThat(secrets).isNotEmpty();
        return secrets;
    }

    // --- small helpers ----------------------------------------------------------------------------

    private static boolean matches(JsonNode selector, JsonNode labels) {
        if (!matchesLabels(selector.path("matchLabels"), labels)) return false;
        for (JsonNode e : selector.path("matchExpressions")) {
            String key = e.path("key").asText();
            Set<String> values = new LinkedHashSet<>();
            e.path("values").forEach(v -> values.add(v.asText()));
            boolean has = labels.has(key);
            boolean ok = switch (e.path("operator").asText()) {
                case "In" -> has && values.contains(labels.path(key).asText());
                case "NotIn" -> !has || !values.contains(labels.path(key).asText());
                case "Exists" -> has;
                case "DoesNotExist" -> !has;
                default -> throw new AssertionError("unknown selector operator " + e);
            };
            if (!ok) return false;
        }
        return selector.has("matchLabels") || selector.has("matchExpressions");
    }

    private static boolean matchesLabels(JsonNode wanted, JsonNode labels) {
        for (var e : iterable(wanted)) {
            if (!labels.path(e.getKey()).asText("\u0000").equals(e.getValue().asText())) return false;
        }
        return true;
    }

    private static Set<String> containerPorts(JsonNode pod) {
        Set<String> ports = new TreeSet<>();
        for (JsonNode c : pod.path("spec").path("containers")) c.path("ports").forEach(p -> ports.add(p.path("name").asText()));
        return ports;
    }

    private static String containerPort(JsonNode pod, String name) {
        for (JsonNode c : pod.path("spec").path("containers")) {
            for (JsonNode p : c.path("ports")) if (p.path("name").asText().equals(name)) return p.path("containerPort").asText();
        }
        throw new AssertionError("no port " + name);
    }

    private static Map<String, JsonNode> byName(List<JsonNode> docs, String kind) {
        Map<String, JsonNode> m = new LinkedHashMap<>();
        for (JsonNode d : docs) if (d.path("kind").asText().equals(kind)) m.put(name(d), d);
        return m;
    }

    private static List<JsonNode> byNameFilter(List<JsonNode> docs, String kind, String name) {
        return docs.stream().filter(d -> d.path("kind").asText().equals(kind) && name(d).equals(name)).toList();
    }

    private static JsonNode single(List<JsonNode> docs, String kind) {
        List<JsonNode> l = docs.stream().filter(d -> d.path("kind").asText().equals(kind)).toList();
        assertThat(l).as("one " + kind).hasSize(1);
        return l.get(0);
    }

    private static JsonNode single(List<JsonNode> l) {
        assertThat(l).hasSize(1);
        return l.get(0);
    }

    private static String name(JsonNode d) {
        return d.path("metadata").path("name").asText();
    }

    private static Map<String, String> strings(JsonNode data) {
        Map<String, String> m = new LinkedHashMap<>();
        for (var e : iterable(data)) m.put(e.getKey(), e.getValue().asText());
        return m;
    }

    private static Iterable<Map.Entry<String, JsonNode>> iterable(JsonNode n) {
        return n::fields;
    }

    private static List<JsonNode> documents(Path f) throws IOException {
        List<JsonNode> docs = new ArrayList<>();
        try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(f.toFile())) {
            while (it.hasNext()) docs.add(it.next());
        }
        return docs;
    }

    private static List<Path> dashboardFiles() throws IOException {
        try (Stream<Path> s = Files.list(ROOT.resolve("dashboards"))) {
            return s.filter(f -> f.toString().endsWith(".json")).sorted().toList();
        }
    }

    /** Null when equal, else the first line that differs (a whole dashboard in a failure message helps nobody). */
    static String firstDifference(String actual, String expected) {
        if (actual.equals(expected)) return null;
        String[] a = actual.split("\n", -1);
        String[] e = expected.split("\n", -1);
        for (int i = 0; i < Math.max(a.length, e.length); i++) {
            String x = i < a.length ? a[i] : "<end>";
            String y = i < e.length ? e[i] : "<end>";
            if (!x.equals(y)) return "line " + (i + 1) + ": '" + x + "' where the source has '" + y + "'";
        }
        return "differs in line endings";
    }

    private static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, tool))) return true;
        }
        return false;
    }

    private static Path repoRoot() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.isDirectory(p.resolve("docker/k8s"))) p = p.getParent();
        if (p == null) throw new IllegalStateException("run from inside the repository: docker/k8s not found");
        return p;
    }
}
