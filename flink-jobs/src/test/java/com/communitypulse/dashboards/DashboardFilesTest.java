package com.communitypulse.dashboards;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The schema-level properties that make the dashboards import into any Grafana and the rules
 * route in any Alertmanager (dashboards/README.md): a datasource variable instead of a fixed uid,
 * job and community through variables, a description on every panel, unit and thresholds on every
 * stat/gauge, drill-down links, the current metric names; every rule with {@code for:}, routing
 * labels and a runbook section. Whether the queries return data is PrometheusDashboardsITCase's job.
 */
class DashboardFilesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Path ROOT = root();
    /** A metric selector: a metric name of Flink's reporter, the exporter, the dispatcher, or up, with its optional {matchers}. */
    private static final Pattern SELECTOR = Pattern.compile("\\b(pulse_[a-z0-9_]+|flink_[A-Za-z0-9_]+|up)\\b(\\{([^}]*)})?(?!\\s*\\()");
    private static final Pattern LABEL_MATCHER = Pattern.compile("(\\w+)\\s*(=~|!~|!=|=)\\s*\"([^\"]*)\"");
    private static final Pattern DEPRECATED = Pattern.compile(
            "\\b(pulse_window_conversion_rate|pulse_window_click_to_order|pulse_rolling_stickiness|pulse_rolling_participation_rate|pulse_alert_types_total)\\b");
    private static final Set<String> STAT_TYPES = Set.of("stat", "gauge", "bargauge");

    @Test
    void shouldUseTheDatasourceVariableEverywhereWhenADashboardIsImported() throws IOException {
        for (Map.Entry<String, JsonNode> e : dashboards().entrySet()) {
            String text = Files.readString(ROOT.resolve("dashboards/" + e.getKey() + ".json"));
            assertThat(text).as(e.getKey() + ": no hard-coded datasource uid")
                    .doesNotContainPattern("\"datasource\"\\s*:\\s*\\{[^}]*\"uid\"\\s*:\\s*\"(?!\\$\\{datasource})")
                    .doesNotContainPattern("\"datasource\"\\s*:\\s*\"");
            JsonNode ds = variable(e.getValue(), "datasource");
            assertThat(ds).as(e.getKey() + ": variable $datasource").isNotNull();
            assertThat(ds.path("type").asText()).isEqualTo("datasource");
            assertThat(ds.path("query").asText()).isEqualTo("prometheus");
            for (JsonNode p : panels(e.getValue())) {
                assertThat(p.path("datasource").path("uid").asText()).as(e.getKey() + " / " + p.path("title").asText()).isEqualTo("${datasource}");
                for (JsonNode t : p.path("targets")) {
                    assertThat(t.path("datasource").path("uid").asText()).as(e.getKey() + " / " + p.path("title").asText() + " target").isEqualTo("${datasource}");
                }
            }
            for (JsonNode v : e.getValue().path("templating").path("list")) {
                if (v.path("type").asText().equals("query")) {
                    assertThat(v.path("datasource").path("uid").asText()).as(e.getKey() + " / $" + v.path("name").asText()).isEqualTo("${datasource}");
                }
            }
        }
    }

    @Test
    void shouldSelectJobAndCommunityOnlyThroughVariablesWhenQueriesAreWritten() throws IOException {
        int selectors = 0;
        for (Map.Entry<String, JsonNode> e : dashboards().entrySet()) {
            JsonNode job = variable(e.getValue(), "job");
            assertThat(job).as(e.getKey() + ": variable $job").isNotNull();
            assertThat(job.path("type").asText()).isEqualTo("query");
            assertThat(job.path("multi").asBoolean() && job.path("includeAll").asBoolean()).as(e.getKey() + ": $job multi-value with All").isTrue();
            assertThat(job.path("allValue").asText()).isEqualTo(".+");
            boolean usesCommunity = false;
            List<String> exprs = new ArrayList<>();
            for (JsonNode p : panels(e.getValue())) {
                for (JsonNode t : p.path("targets")) exprs.add(p.path("title").asText() + ": " + t.path("expr").asText());
            }
            for (JsonNode v : e.getValue().path("templating").path("list")) {
                if (v.path("type").asText().equals("query") && !v.path("name").asText().equals("job")) {
                    exprs.add("$" + v.path("name").asText() + ": " + v.path("query").path("query").asText());
                }
            }
            for (String x : exprs) {
                Matcher m = SELECTOR.matcher(x.substring(x.indexOf(": ") + 2));
                while (m.find()) {
                    selectors++;
                    Map<String, String> labels = new LinkedHashMap<>();
                    Matcher l = LABEL_MATCHER.matcher(m.group(3) == null ? "" : m.group(3));
                    while (l.find()) {
                        labels.put(l.group(1) + l.group(2), l.group(3));
                        if (l.group(1).equals("job")) {
                            assertThat(l.group(2) + l.group(3)).as(e.getKey() + " / " + x + ": job only through $job").isEqualTo("=~$job");
                        }
                        if (l.group(1).equals("community")) {
                            usesCommunity = true;
                            assertThat(List.of("=*", "!=*", "=$community", "=~$community")).as(e.getKey() + " / " + x + ": community value")
                                    .contains(l.group(2) + l.group(3));
                        }
                    }
                    assertThat(labels).as(e.getKey() + " / " + x + ": selector " + m.group() + " filters on $job").containsEntry("job=~", "$job");
                }
                assertThat(x).as(e.getKey() + ": deprecated metric name").doesNotContainPattern(DEPRECATED);
            }
            if (usesCommunity) {
                assertThat(variable(e.getValue(), "community")).as(e.getKey() + ": variable $community").isNotNull();
            }
        }
        assertThat(selectors).as("metric selectors checked").isGreaterThan(80);
    }

    @Test
    void shouldDescribeEveryPanelAndGiveEveryStatAUnitAndThresholdsWhenRendered() throws IOException {
        int stats = 0;
        for (Map.Entry<String, JsonNode> e : dashboards().entrySet()) {
            assertThat(e.getValue().path("description").asText()).as(e.getKey() + ": dashboard description").isNotBlank();
            for (JsonNode p : panels(e.getValue())) {
                String what = e.getKey() + " / " + p.path("title").asText();
                assertThat(p.path("description").asText()).as(what + ": description").isNotBlank();
                if (STAT_TYPES.contains(p.path("type").asText())) {
                    stats++;
                    JsonNode defaults = p.path("fieldConfig").path("defaults");
                    assertThat(defaults.path("unit").asText()).as(what + ": unit").isNotBlank();
                    JsonNode steps = defaults.path("thresholds").path("steps");
                    assertThat(steps.size()).as(what + ": threshold steps").isGreaterThanOrEqualTo(1);
                    assertThat(steps.get(0).path("value").isNull()).as(what + ": first threshold step is the base (value null)").isTrue();
                    double last = Double.NEGATIVE_INFINITY;
                    for (int i = 1; i < steps.size(); i++) {
                        assertThat(steps.get(i).path("value").asDouble()).as(what + ": thresholds ascending").isGreaterThan(last);
                        last = steps.get(i).path("value").asDouble();
                    }
                }
            }
        }
        assertThat(stats).as("stat/gauge panels").isGreaterThanOrEqualTo(15);
    }

    @Test
    void shouldLinkOverviewToCommunityToModerationWhenDrillingDown() throws IOException {
        Map<String, JsonNode> dashboards = dashboards();
        Set<String> uids = new HashSet<>();
        dashboards.values().forEach(d -> uids.add(d.path("uid").asText()));
        Map<String, Set<String>> targets = new LinkedHashMap<>();
        Pattern target = Pattern.compile("^/d/([\\w-]+)");
        for (Map.Entry<String, JsonNode> e : dashboards.entrySet()) {
            Set<String> t = new HashSet<>();
            List<JsonNode> links = new ArrayList<>();
            e.getValue().path("links").forEach(links::add);
            for (JsonNode p : panels(e.getValue())) p.path("fieldConfig").path("defaults").path("links").forEach(links::add);
            for (JsonNode l : links) {
                if (!l.has("url")) continue;
                Matcher m = target.matcher(l.path("url").asText());
                assertThat(m.find()).as(e.getKey() + ": link " + l.path("url").asText() + " points at a dashboard uid").isTrue();
                assertThat(uids).as(e.getKey() + ": link target").contains(m.group(1));
                t.add(m.group(1));
            }
            targets.put(e.getValue().path("uid").asText(), t);
        }
        assertThat(targets.get("pulse-overview")).as("overview drills down to community").contains("pulse-community");
        assertThat(targets.get("pulse-community")).as("community drills down to moderation").contains("pulse-moderation");
        assertThat(targets.get("pulse-moderation")).as("moderation leads back").contains("pulse-community");
        // A per-community bar drills down with the community it shows.
        boolean dataLink = false;
        for (JsonNode p : panels(dashboards.get("overview"))) {
            for (JsonNode l : p.path("fieldConfig").path("defaults").path("links")) {
                dataLink |= l.path("url").asText().startsWith("/d/pulse-community?var-community=${__field.labels.community}");
            }
        }
        assertThat(dataLink).as("overview data link to a community").isTrue();
    }

    @Test
    void shouldGiveEveryRuleAForRoutingLabelsAndARunbookSectionWhenItFires() throws IOException {
        String runbook = Files.readString(ROOT.resolve("docs/RUNBOOK.md"));
        Map<String, String> sections = new LinkedHashMap<>();
        Matcher h = Pattern.compile("(?m)^## (\\S+)\\n([\\s\\S]*?)(?=^## |\\z)").matcher(runbook);
        while (h.find()) sections.put(h.group(1).toLowerCase(Locale.ROOT), h.group(2));
        JsonNode doc = YAML.readTree(ROOT.resolve("dashboards/prometheus/rules.yml").toFile());
        Set<String> alerts = new HashSet<>();
        for (JsonNode g : doc.path("groups")) {
            for (JsonNode r : g.path("rules")) {
                String name = r.path("alert").asText();
                alerts.add(name.toLowerCase(Locale.ROOT));
                assertThat(r.path("for").asText()).as(name + ": for").matches("\\d+[smh]");
                for (String label : List.of("severity", "team", "service")) {
                    assertThat(r.path("labels").path(label).asText()).as(name + ": label " + label).isNotBlank();
                }
                assertThat(r.path("labels").path("severity").asText()).isIn("critical", "warning");
                assertThat(r.path("labels").path("service").asText()).isIn("pulse-job", "pulse-exporter", "pulse-dispatcher");
                String url = r.path("annotations").path("runbook_url").asText();
                assertThat(url).as(name + ": runbook_url").isEqualTo("docs/RUNBOOK.md#" + name.toLowerCase(Locale.ROOT));
                String section = sections.get(name.toLowerCase(Locale.ROOT));
                assertThat(section).as(name + ": section in docs/RUNBOOK.md").isNotNull();
                assertThat(section).as(name + ": runbook section").contains("**Means.**", "**Check.**", "**Do.**");
                assertThat(r.path("expr").asText()).as(name + ": deprecated metric name").doesNotContainPattern(DEPRECATED);
            }
        }
        assertThat(alerts).hasSizeGreaterThanOrEqualTo(12);
        assertThat(sections.keySet()).as("runbook sections without a rule").isSubsetOf(alerts);
    }

    @Test
    void shouldSendAlertsToAlertmanagerAndScrapeNoServiceThatIsNotStartedByDefaultWhenComposeRuns() throws IOException {
        JsonNode prom = YAML.readTree(ROOT.resolve("dashboards/prometheus/prometheus.yml").toFile());
        JsonNode compose = YAML.readTree(ROOT.resolve("docker/compose.yml").toFile());
        JsonNode services = compose.path("services");
        List<String> amTargets = new ArrayList<>();
        for (JsonNode m : prom.path("alerting").path("alertmanagers")) {
            for (JsonNode sc : m.path("static_configs")) sc.path("targets").forEach(t -> amTargets.add(t.asText()));
        }
        assertThat(amTargets).as("alerting.alertmanagers targets").isNotEmpty();
        for (String t : amTargets) {
            String host = t.split(":")[0];
            assertThat(services.has(host)).as("Alertmanager " + host + " is a compose service").isTrue();
            assertThat(services.path(host).has("profiles")).as(host + " starts by default").isFalse();
            assertThat(services.path(host).path("volumes").toString()).contains("../dashboards/prometheus/alertmanager.yml");
        }
        // A statically scraped service behind a compose profile is "down" on every default stack:
        // its up == 0 rule would fire on a healthy one.
        for (JsonNode job : prom.path("scrape_configs")) {
            for (JsonNode sc : job.path("static_configs")) {
                for (JsonNode t : sc.path("targets")) {
                    String host = t.asText().split(":")[0];
                    if (services.has(host)) {
                        assertThat(services.path(host).has("profiles")).as("scrape job " + job.path("job_name").asText() + " statically targets "
                                + host + ", which only starts with a compose profile (use dns_sd_configs)").isFalse();
                    }
                }
            }
        }
    }

    private static Map<String, JsonNode> dashboards() throws IOException {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        try (Stream<Path> s = Files.list(ROOT.resolve("dashboards"))) {
            for (Path f : s.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
                out.put(f.getFileName().toString().replace(".json", ""), JSON.readTree(f.toFile()));
            }
        }
        assertThat(out.keySet()).contains("overview", "community", "moderation", "pipeline-health");
        return out;
    }

    /** Every panel except rows (which hold no query), nested ones included. */
    private static List<JsonNode> panels(JsonNode dashboard) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode p : dashboard.path("panels")) {
            if (!p.path("type").asText().equals("row")) out.add(p);
            for (JsonNode c : p.path("panels")) out.add(c);
        }
        return out;
    }

    private static JsonNode variable(JsonNode dashboard, String name) {
        for (JsonNode v : dashboard.path("templating").path("list")) {
            if (v.path("name").asText().equals(name)) return v;
        }
        return null;
    }

    private static Path root() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.isDirectory(p.resolve("dashboards/prometheus"))) p = p.getParent();
        assertThat(p).as("repository root above " + Path.of("").toAbsolutePath()).isNotNull();
        return p;
    }
}
