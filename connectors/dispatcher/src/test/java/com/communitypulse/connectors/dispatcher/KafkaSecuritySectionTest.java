package com.communitypulse.connectors.dispatcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.communitypulse.flags.UsageException;
import com.communitypulse.connectors.dispatcher.config.SecretResolver;
import com.communitypulse.security.KafkaSecurity;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class KafkaSecuritySectionTest {
    @Test
    void shouldReadTheSharedSectionWithTheJobsKeysWithoutPrefix() {
        SecretResolver env = new SecretResolver(Map.of(KafkaSecurity.PASSWORD_ENV, "Dispatcher-Secret-1")::get, null);
        KafkaSecurity s = AlertDispatcher.kafkaSecurity(Map.of("security.protocol", "SASL_PLAINTEXT", "sasl.username", "dispatcher"), env);
        Properties p = s.applyTo(new Properties());
        assertThat(p.getProperty("sasl.jaas.config")).contains("username=\"dispatcher\"");
        assertThat(s.toString()).doesNotContain("Dispatcher-Secret-1");
    }

    @Test
    void shouldNameTheFixWhenASettingIsUnknownOrASecretMissing() {
        SecretResolver none = new SecretResolver(k -> null, null);
        assertThatThrownBy(() -> AlertDispatcher.kafkaSecurity(Map.of("sasl.password", "x"), none))
                .isInstanceOf(UsageException.class).hasMessageContaining("kafka.security.sasl.password is not a security setting")
                .hasMessageContaining("sasl.password-file");
        assertThatThrownBy(() -> AlertDispatcher.kafkaSecurity(Map.of("security.protocol", "SASL_SSL", "sasl.username", "u"), none))
                .isInstanceOf(UsageException.class).hasMessageContaining("PULSE_KAFKA_SASL_PASSWORD");
    }
}
