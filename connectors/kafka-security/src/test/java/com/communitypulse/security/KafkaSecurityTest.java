package com.communitypulse.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaSecurityTest {
    @TempDir
    Path tmp;

    @Test
    void shouldBePlaintextWithNoPropertiesByDefault() {
        KafkaSecurity s = KafkaSecurity.from(k -> null, k -> null);
        assertThat(s.applyTo(new Properties())).containsOnlyKeys("security.protocol");
        assertThat(s.protocol()).isEqualTo("PLAINTEXT");
    }

    @Test
    void shouldBuildScramJaasAndTruststoreWhenSaslSsl() throws Exception {
        Path ts = Files.writeString(tmp.resolve("ts.p12"), "x");
        Path pw = Files.writeString(tmp.resolve("pw"), "pa\"ss\\word\n");
        Map<String, String> m = new HashMap<>();
        m.put(KafkaSecurity.PROTOCOL, "sasl_ssl");
        m.put(KafkaSecurity.MECHANISM, "SCRAM-SHA-256");
        m.put(KafkaSecurity.USERNAME, "pulse");
        m.put(KafkaSecurity.PASSWORD_FILE, pw.toString());
        m.put(KafkaSecurity.TRUSTSTORE, ts.toString());
        KafkaSecurity s = KafkaSecurity.from(m::get, Map.of(KafkaSecurity.TRUSTSTORE_PASSWORD_ENV, "tspass")::get);
        Properties p = s.applyTo(new Properties());
        assertThat(p.getProperty("security.protocol")).isEqualTo("SASL_SSL");
        assertThat(p.getProperty("sasl.mechanism")).isEqualTo("SCRAM-SHA-256");
        assertThat(p.getProperty("sasl.jaas.config"))
                .isEqualTo("org.apache.kafka.common.security.scram.ScramLoginModule required username=\"pulse\" password=\"pa\\\"ss\\\\word\";");
        assertThat(p.getProperty("ssl.truststore.location")).isEqualTo(ts.toString());
        assertThat(p.getProperty("ssl.truststore.password")).isEqualTo("tspass");
        assertThat(p.getProperty("ssl.endpoint.identification.algorithm")).isEqualTo("https");
    }

    @Test
    void shouldNeverShowPasswordsWhenDescribedOrMasking() {
        Map<String, String> m = Map.of(KafkaSecurity.PROTOCOL, "SASL_PLAINTEXT", KafkaSecurity.USERNAME, "pulse");
        KafkaSecurity s = KafkaSecurity.from(m::get, Map.of(KafkaSecurity.PASSWORD_ENV, "Very-Secret-42")::get);
        assertThat(s.toString()).doesNotContain("Very-Secret-42").contains("******");
        assertThat(s.describe()).doesNotContain("Very-Secret-42");
        assertThat(s.mask("login failed for password Very-Secret-42")).isEqualTo("login failed for password ******");
    }

    @Test
    void shouldNameTheFixWhenSaslSettingsAreIncomplete() {
        assertThatThrownBy(() -> KafkaSecurity.from(Map.of(KafkaSecurity.PROTOCOL, "SASL_SSL")::get, k -> null))
                .isInstanceOf(SecretException.class).hasMessageContaining(KafkaSecurity.USERNAME);
        assertThatThrownBy(() -> KafkaSecurity.from(Map.of(KafkaSecurity.PROTOCOL, "SASL_SSL", KafkaSecurity.USERNAME, "u")::get, k -> null))
                .hasMessageContaining(KafkaSecurity.PASSWORD_FILE).hasMessageContaining(KafkaSecurity.PASSWORD_ENV);
        assertThatThrownBy(() -> KafkaSecurity.from(Map.of(KafkaSecurity.PROTOCOL, "TLS")::get, k -> null))
                .hasMessageContaining("SASL_SSL");
        assertThatThrownBy(() -> KafkaSecurity.from(Map.of(KafkaSecurity.MECHANISM, "PLAIN")::get, k -> null))
                .hasMessageContaining("SCRAM-SHA-256");
        assertThatThrownBy(() -> KafkaSecurity.from(Map.of(KafkaSecurity.PROTOCOL, "SSL", KafkaSecurity.TRUSTSTORE, "/nope.p12")::get, k -> null))
                .hasMessageContaining("does not exist");
    }

    /** Stands in for Kafka's exception of the same simple name. */
    static final class SaslAuthenticationException extends RuntimeException {
        SaslAuthenticationException(String m) {
            super(m);
        }
    }

    @Test
    void shouldExplainRejectedCredentialsInOneLineWithoutThePassword() {
        Map<String, String> m = Map.of(KafkaSecurity.PROTOCOL, "SASL_SSL", KafkaSecurity.USERNAME, "pulse");
        KafkaSecurity s = KafkaSecurity.from(m::get, Map.of(KafkaSecurity.PASSWORD_ENV, "Very-Secret-42")::get);
        String msg = s.explain(new RuntimeException("wrapped", new SaslAuthenticationException("Authentication failed")), "127.0.0.1:9093");
        assertThat(msg).contains("rejected the credentials of user 'pulse'").contains(KafkaSecurity.PASSWORD_FILE)
                .doesNotContain("Very-Secret-42").doesNotContain("\n");
        assertThat(s.explain(new IllegalStateException("other"), "x")).isNull();
    }
}
