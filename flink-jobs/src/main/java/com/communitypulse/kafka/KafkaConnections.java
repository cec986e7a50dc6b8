package com.communitypulse.kafka;

import com.communitypulse.config.PulseConfig;
import java.util.Properties;

/** Client properties shared by every Kafka client of the job (sources, sinks, admin). */
public final class KafkaConnections {
    private KafkaConnections() {}

    public static Properties clientProperties(PulseConfig cfg) {
        Properties p = new Properties();
        p.setProperty("bootstrap.servers", cfg.get(PulseConfig.BOOTSTRAP));
        return p;
    }
}
