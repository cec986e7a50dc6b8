package com.communitypulse.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretsTest {
    @TempDir
    Path tmp;

    @Test
    void shouldReadFileTrimmedWhenFileIsSet() throws Exception {
        Path f = Files.writeString(tmp.resolve("pw"), "s3cret-value\n");
        assertThat(Secrets.read("x.password-file", f.toString(), "ENV_PW", Map.of("ENV_PW", "from-env")::get)).isEqualTo("s3cret-value");
    }

    @Test
    void shouldFallBackToEnvironmentWhenNoFile() {
        assertThat(Secrets.read("x.password-file", "", "ENV_PW", Map.of("ENV_PW", "from-env")::get)).isEqualTo("from-env");
        assertThat(Secrets.read("x.password-file", "", "ENV_PW", Map.<String, String>of()::get)).isNull();
    }

    @Test
    void shouldNameTheSettingWhenFileMissingOrEmpty() throws Exception {
        assertThatThrownBy(() -> Secrets.read("x.password-file", tmp.resolve("nope").toString(), "E", k -> null))
                .isInstanceOf(SecretException.class).hasMessageContaining("x.password-file").hasMessageContaining("does not exist");
        Path empty = Files.writeString(tmp.resolve("empty"), "\n");
        assertThatThrownBy(() -> Secrets.read("x.password-file", empty.toString(), "E", k -> null))
                .hasMessageContaining("is empty");
    }

    @Test
    void shouldMaskEverySecretOccurrence() {
        assertThat(Secrets.mask("user pw=hunter22 again hunter22", List.of("hunter22"))).isEqualTo("user pw=****** again ******");
        assertThat(Secrets.mask("abc", java.util.Arrays.asList(null, "ab"))).isEqualTo("abc"); // too short to mask meaningfully
    }
}
