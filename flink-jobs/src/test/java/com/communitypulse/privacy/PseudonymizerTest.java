package com.communitypulse.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.charset.StandardCharsets;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class PseudonymizerTest {
    private static final byte[] SECRET = "an-example-secret-of-at-least-32-bytes!".getBytes(StandardCharsets.UTF_8);
    private final Pseudonymizer p = Pseudonymizer.of("k1", SECRET);

    @Test
    void shouldMapSameMemberToSamePseudonymWhenKeyIsSame() {
        assertThat(p.pseudonym("u42")).isEqualTo(Pseudonymizer.of("k1", SECRET).pseudonym("u42"))
                .isNotEqualTo(p.pseudonym("u43")).hasSize(43).doesNotContain("u42");
    }

    @Test
    void shouldBeHmacSha256OfTheIdUnderADerivedKey() throws Exception {
        Mac derive = Mac.getInstance("HmacSHA256");
        derive.init(new SecretKeySpec(SECRET, "HmacSHA256"));
        byte[] k = derive.doFinal("community-pulse/pseudonym/v1".getBytes(StandardCharsets.UTF_8));
        Mac m = Mac.getInstance("HmacSHA256");
        m.init(new SecretKeySpec(k, "HmacSHA256"));
        String expected = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(m.doFinal("u42".getBytes(StandardCharsets.UTF_8)));
        assertThat(p.pseudonym("u42")).isEqualTo(expected);
    }

    @Test
    void shouldChangePseudonymsWhenKeyChanges() {
        Pseudonymizer other = Pseudonymizer.of("k2", "another-secret-that-is-long-enough-000".getBytes(StandardCharsets.UTF_8));
        assertThat(other.pseudonym("u42")).isNotEqualTo(p.pseudonym("u42"));
        assertThat(other.keyId()).isEqualTo("k2");
    }

    @Test
    void shouldSealDeterministicallyAndUnsealWhenRoundTripped() {
        String sealed = p.seal("用户-42");
        assertThat(sealed).isEqualTo(p.seal("用户-42")).isNotEqualTo(p.seal("用户-43")).doesNotContain("42");
        assertThat(p.seal("u1")).isEqualTo(p.seal("u1")); // the same IV twice in a row must work (no GCM IV-reuse guard)
        assertThat(p.unseal(sealed)).isEqualTo("用户-42");
        assertThat(p.external(sealed)).isEqualTo(p.pseudonym("用户-42"));
    }

    @Test
    void shouldRefuseIdsSealedUnderAnotherKeyWhenUnsealing() {
        Pseudonymizer other = Pseudonymizer.of("k2", "another-secret-that-is-long-enough-000".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> p.unseal(other.seal("u42"))).hasMessageContaining("not sealed under key k1");
        assertThatThrownBy(() -> p.unseal("u42")).hasMessageContaining("not sealed");
    }

    @Test
    void shouldPassIdsThroughWhenDisabled() {
        Pseudonymizer off = Pseudonymizer.disabled();
        assertThat(off.seal("u1")).isEqualTo("u1");
        assertThat(off.external("u1")).isEqualTo("u1");
        assertThat(off.keyId()).isNull();
        assertThat(p.seal(null)).isNull();
    }

    @Test
    void shouldWorkWhenSerializedAndNeverShowKeyMaterial() throws Exception {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bos)) {
            out.writeObject(p);
        }
        Pseudonymizer copy = (Pseudonymizer) new ObjectInputStream(new ByteArrayInputStream(bos.toByteArray())).readObject();
        assertThat(copy.unseal(p.seal("u9"))).isEqualTo("u9");
        assertThat(new String(bos.toByteArray(), StandardCharsets.ISO_8859_1)).doesNotContain(new String(SECRET, StandardCharsets.ISO_8859_1));
        assertThat(p.toString()).isEqualTo("Pseudonymizer{key_id=k1}");
    }

    @Test
    void shouldRejectShortSecretsWhenCreated() {
        assertThatThrownBy(() -> Pseudonymizer.of("k1", new byte[16])).hasMessageContaining("32 bytes");
    }
}
