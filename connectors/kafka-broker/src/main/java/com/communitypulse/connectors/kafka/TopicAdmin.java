package com.communitypulse.connectors.kafka;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.errors.TopicExistsException;

/** Topic creation and readiness checks through the Kafka {@link Admin} client. */
public final class TopicAdmin {

    private TopicAdmin() {}

    static boolean isReady(String bootstrap) {
        try (Admin admin = Admin.create(props(bootstrap, Map.of()))) {
            return !admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty();
        } catch (Exception e) {
            return false;
        }
    }

    /** Creates or replaces a SCRAM user for both SCRAM-SHA-256 and SCRAM-SHA-512 (stored in the KRaft metadata log). */
    static void upsertScramUser(String bootstrap, String user, String password) {
        try (Admin admin = Admin.create(props(bootstrap, Map.of()))) {
            // One request per mechanism: the broker refuses two alterations of one user in a request.
            for (ScramMechanism m : List.of(ScramMechanism.SCRAM_SHA_256, ScramMechanism.SCRAM_SHA_512)) {
                admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion(user, new ScramCredentialInfo(m, 4096), password)))
                        .all().get(30, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            throw new IllegalStateException("could not create SCRAM user " + user + ": " + e.getClass().getSimpleName(), e);
        }
    }

    /** Waits until a client with {@code clientProps} can log in (SCRAM credentials propagate asynchronously). */
    static void awaitLogin(Properties clientProps, java.time.Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Properties p = new Properties();
        p.putAll(clientProps);
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "5000");
        Exception last = null;
        while (System.nanoTime() < deadline) {
            try (Admin admin = Admin.create(p)) {
                admin.describeCluster().clusterId().get(5, TimeUnit.SECONDS);
                return;
            } catch (Exception e) {
                last = e;
            }
            try {
                Thread.sleep(300);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for SASL login", e);
            }
        }
        throw new IllegalStateException("SASL_SSL login to " + p.get("bootstrap.servers") + " did not succeed in time: "
                + (last == null ? "" : last.getClass().getSimpleName()));
    }

    /**
     * Creates the topics that don't exist yet. Each gets {@code retention.ms=-1} unless its entry in
     * {@code topicConfigs} overrides it.
     */
    public static void createTopics(String bootstrap, Map<String, Integer> partitionsByTopic,
                                    Map<String, Map<String, String>> topicConfigs) {
        createTopics(props(bootstrap, Map.of()), partitionsByTopic, topicConfigs);
    }

    /** As above, with full client properties (e.g. SASL/TLS settings). */
    public static void createTopics(Properties clientProps, Map<String, Integer> partitionsByTopic,
                                    Map<String, Map<String, String>> topicConfigs) {
        Properties p = new Properties();
        p.putAll(clientProps);
        p.putIfAbsent(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "30000");
        try (Admin admin = Admin.create(p)) {
            List<NewTopic> topics = new ArrayList<>();
            partitionsByTopic.forEach((name, partitions) -> {
                Map<String, String> cfg = new HashMap<>();
                cfg.put("retention.ms", "-1");
                cfg.putAll(topicConfigs.getOrDefault(name, Map.of()));
                topics.add(new NewTopic(name, partitions, (short) 1).configs(cfg));
            });
            for (var e : admin.createTopics(topics).values().entrySet()) {
                try {
                    e.getValue().get(60, TimeUnit.SECONDS);
                } catch (ExecutionException ex) {
                    if (!(ex.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("Could not create topic " + e.getKey() + ": " + ex.getCause().getMessage(), ex.getCause());
                    }
                }
            }
            awaitLeaders(admin, partitionsByTopic.keySet(), java.time.Duration.ofSeconds(60));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("Timed out creating topics on " + p.get("bootstrap.servers"), e);
        }
    }

    /**
     * Waits until every partition of {@code topics} has a leader. A created topic is acknowledged by the
     * controller before the broker serves its partitions; a producer that starts in that gap has been
     * seen to leave a batch unsent until its delivery timeout on a loaded machine.
     */
    static void awaitLeaders(Admin admin, java.util.Collection<String> topics, java.time.Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String missing = "";
        while (System.nanoTime() < deadline) {
            try {
                List<String> without = new ArrayList<>();
                for (var d : admin.describeTopics(topics).allTopicNames().get(10, TimeUnit.SECONDS).values()) {
                    d.partitions().stream().filter(pi -> pi.leader() == null || pi.leader().isEmpty())
                            .forEach(pi -> without.add(d.name() + "-" + pi.partition()));
                }
                if (without.isEmpty()) {
                    return;
                }
                missing = String.join(", ", without);
            } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
                missing = e.getClass().getSimpleName() + " describing " + topics;
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("Created topics still have partitions without a leader after "
                + timeout.toSeconds() + " s: " + missing);
    }

    private static Properties props(String bootstrap, Map<String, String> extra) {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "10000");
        p.putAll(extra);
        return p;
    }
}
