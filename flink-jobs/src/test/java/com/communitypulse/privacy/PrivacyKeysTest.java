package com.communitypulse.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.communitypulse.flags.UsageException;
import com.communitypulse.config.PulseConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrivacyKeysTest {
    @TempDir
    Path tmp;

    @Test
    void shouldFailWithOneLineNamingFlagAndVariableWhenNoKeyIsConfigured() {
        assertThatThrownBy(() -> PrivacyKeys.pseudonymizer(PulseConfig.defaults(), Map.of()))
                .isInstanceOf(UsageException.class)
                .hasMessageContaining("--privacy.key-file").hasMessageContaining("PULSE_PRIVACY_KEY").hasMessageNotContaining("\n");
    }

    @Test
    void shouldUseTheFileOrTheEnvironmentWhenConfigured() throws Exception {
        String secret = "0123456789abcdef0123456789abcdef";
        Path f = Files.writeString(tmp.resolve("k"), secret + "\n");
        Pseudonymizer fromFile = PrivacyKeys.pseudonymizer(PulseConfig.of(Map.of("privacy.key-file", f.toString(), "privacy.key-id", "2026-11")), Map.of());
        Pseudonymizer fromEnv = PrivacyKeys.pseudonymizer(PulseConfig.of(Map.of("privacy.key-id", "2026-11")), Map.of(PrivacyKeys.ENV, secret));
        assertThat(fromFile.pseudonym("u1")).isEqualTo(fromEnv.pseudonym("u1"));
        assertThat(fromFile.keyId()).isEqualTo("2026-11");
    }

    @Test
    void shouldRejectShortKeysWhenLoaded() {
        assertThatThrownBy(() -> PrivacyKeys.pseudonymizer(PulseConfig.defaults(), Map.of(PrivacyKeys.ENV, "short")))
                .isInstanceOf(UsageException.class).hasMessageContaining("at least 32");
    }

    @Test
    void shouldNotNeedAKeyWhenPseudonymisationIsOff() {
        assertThat(PrivacyKeys.pseudonymizer(PulseConfig.of(Map.of("privacy.pseudonymize", "false")), Map.of()).isEnabled()).isFalse();
    }

    @Test
    void shouldWriteAnOwnerOnlyRandomKeyWhenEphemeral() throws Exception {
        Path a = PrivacyKeys.writeEphemeralKey(Files.createDirectory(tmp.resolve("a")));
        Path b = PrivacyKeys.writeEphemeralKey(Files.createDirectory(tmp.resolve("b")));
        assertThat(Files.readString(a)).isNotEqualTo(Files.readString(b));
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(a))).isEqualTo("rw-------");
        PrivacyKeys.pseudonymizer(PulseConfig.of(Map.of("privacy.key-file", a.toString())), Map.of()); // long enough
    }

    @Test
    void shouldAddAnEphemeralKeyOnlyWhenPseudonymisingWithoutAConfiguredKey() throws Exception {
        PulseConfig keyed = PrivacyKeys.withEphemeralKeyIfMissing(PulseConfig.defaults(), Map.of(), tmp);
        assertThat(keyed).isNotNull();
        assertThat(PrivacyKeys.pseudonymizer(keyed, Map.of()).isEnabled()).isTrue();
        Path f = Files.writeString(tmp.resolve("k"), "0123456789abcdef0123456789abcdef\n");
        assertThat(PrivacyKeys.withEphemeralKeyIfMissing(PulseConfig.of(Map.of("privacy.key-file", f.toString())), Map.of(), tmp)).isNull();
        assertThat(PrivacyKeys.withEphemeralKeyIfMissing(PulseConfig.defaults(), Map.of(PrivacyKeys.ENV, "x"), tmp)).isNull();
        assertThat(PrivacyKeys.withEphemeralKeyIfMissing(PulseConfig.of(Map.of("privacy.pseudonymize", "false")), Map.of(), tmp)).isNull();
    }
}
