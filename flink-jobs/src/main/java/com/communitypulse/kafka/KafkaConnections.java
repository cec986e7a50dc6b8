package com.communitypulse.kafka;

import com.communitypulse.flags.UsageException;
import com.communitypulse.config.PulseConfig;
import com.communitypulse.security.KafkaSecurity;
import com.communitypulse.security.SecretException;
import java.util.Map;
import java.util.Properties;

/**
 * Client properties shared by every Kafka client of the job (sources, sinks, admin, the CLI's own
 * consumers and producers): bootstrap servers plus the one security section
 * ({@code kafka.security.protocol}, {@code kafka.sasl.*}, {@code kafka.ssl.*}; see {@link KafkaSecurity}),
 * whose secrets come from files or environment variables.
 *
 * <p>Flink ships source and sink properties inside the job graph, so on a shared cluster the
 * password is as protected as the JobManager's blob storage: deploy with file-based secrets on
 * the cluster nodes and restrict access to the JobManager (see docs/PRIVACY.md, production recommendations).
 */
public final class KafkaConnections {
    private KafkaConnections() {}

    public static Properties clientProperties(PulseConfig cfg) {
        return clientProperties(cfg, System.getenv());
    }

    public static Properties clientProperties(PulseConfig cfg, Map<String, String> env) {
        Properties p = new Properties();
        p.setProperty("bootstrap.servers", cfg.get(PulseConfig.BOOTSTRAP));
        security(cfg, env).applyTo(p);
        return p;
    }

    /** The security section of {@code cfg}, validated; a one-line {@link UsageException} names the fix. */
    public static KafkaSecurity security(PulseConfig cfg, Map<String, String> env) {
        try {
            return KafkaSecurity.from(cfg::rawValue, env::get);
        } catch (SecretException e) {
            throw new UsageException(e.getMessage());
        }
    }
}
