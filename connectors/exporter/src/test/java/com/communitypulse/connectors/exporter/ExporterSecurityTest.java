package com.communitypulse.connectors.exporter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.communitypulse.security.KafkaSecurity;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class ExporterSecurityTest {
    @Test
    void shouldTakeTheSharedSecuritySectionFromFlagsAndEnvironment() {
        ExporterConfig c = ExporterConfig.parse(List.of("--kafka.security.protocol", "SASL_PLAINTEXT", "--kafka.sasl.username", "exporter"),
                Map.of(KafkaSecurity.PASSWORD_ENV, "Exporter-Secret-1"));
        Properties p = c.security().applyTo(new Properties());
        assertThat(p.getProperty("security.protocol")).isEqualTo("SASL_PLAINTEXT");
        assertThat(p.getProperty("sasl.jaas.config")).contains("Exporter-Secret-1");
        assertThat(ExporterMain.usage()).contains("--kafka.sasl.password-file").doesNotContain("Exporter-Secret-1");
    }

    @Test
    void shouldFailInOneLineWhenThePasswordIsMissing() {
        assertThatThrownBy(() -> ExporterConfig.parse(List.of("--kafka.security.protocol", "SASL_SSL", "--kafka.sasl.username", "u"), Map.of()))
                .isInstanceOf(com.communitypulse.flags.UsageException.class).hasMessageContaining("kafka.sasl.password-file").hasMessageNotContaining("\n");
    }
}
