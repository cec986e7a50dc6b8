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
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("Timed out creating topics on " + p.get("bootstrap.servers"), e);
        }
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
