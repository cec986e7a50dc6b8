package com.communitypulse.privacy;

import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import java.security.MessageDigest;
import javax.crypto.spec.SecretKeySpec;

/**
 * Member-id protection with one versioned secret key ({@code key_id}).
 *
 * <ul>
 *   <li>{@link #pseudonym}: what leaves the job — base64url(HMAC-SHA256(k_p, user_id)), 43 characters.
 *       Same member, same key → same pseudonym, so downstream joins work; without the key it cannot
 *       be reversed or recomputed from a guessed id.</li>
 *   <li>{@link #seal}/{@link #unseal}: what lives inside the job. Ids are sealed right after parsing
 *       (deterministic authenticated encryption, the SIV construction: IV = HMAC(k_iv, id) truncated
 *       to 16 bytes, then AES-128-CTR under k_enc; unsealing recomputes and checks the IV), so keyed state, checkpoints and savepoints never hold a raw id, while keyBy,
 *       ordering and equality still work. Sinks unseal and then either pseudonymise or — for
 *       moderator alerts, when configured — write the original id. Sealing rather than hashing at
 *       the door is what lets an alert fired from state days later still carry the original id.</li>
 * </ul>
 *
 * <p>All three sub-keys are derived from the one secret by HMAC with fixed labels, so rotating the
 * secret (and {@code key_id}) rotates everything. A disabled instance passes ids through.
 *
 * <p>Not thread-safe (cached {@link Mac}/{@link Cipher}); each operator instance holds its own
 * deserialized copy.
 */
public final class Pseudonymizer implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();
    private static final int IV_BYTES = 16;

    private final boolean enabled;
    private final String keyId;
    private final byte[] pseudonymKey;
    private final byte[] ivKey;
    private final byte[] sealKey;

    private transient Mac pseudonymMac;
    private transient Mac ivMac;
    private transient Cipher cipher;
    private transient SecretKeySpec sealSpec;

    private Pseudonymizer(boolean enabled, String keyId, byte[] secret) {
        this.enabled = enabled;
        this.keyId = keyId;
        if (enabled) {
            this.pseudonymKey = derive(secret, "community-pulse/pseudonym/v1");
            this.ivKey = derive(secret, "community-pulse/seal-iv/v1");
            this.sealKey = Arrays.copyOf(derive(secret, "community-pulse/seal-key/v1"), 16);
        } else {
            this.pseudonymKey = this.ivKey = this.sealKey = null;
        }
    }

    /** Pseudonymisation with {@code secret} (at least {@link PrivacyKeys#MIN_SECRET_BYTES} bytes) labelled {@code keyId}. */
    public static Pseudonymizer of(String keyId, byte[] secret) {
        if (keyId == null || keyId.isEmpty()) {
            throw new IllegalArgumentException("keyId is empty");
        }
        if (secret == null || secret.length < PrivacyKeys.MIN_SECRET_BYTES) {
            throw new IllegalArgumentException("secret shorter than " + PrivacyKeys.MIN_SECRET_BYTES + " bytes");
        }
        return new Pseudonymizer(true, keyId, secret);
    }

    /** Ids pass through unchanged (privacy.pseudonymize=false). */
    public static Pseudonymizer disabled() {
        return new Pseudonymizer(false, null, null);
    }

    public boolean isEnabled() {
        return enabled;
    }

    /** The key version written as {@code key_id} next to pseudonyms; null when disabled. */
    public String keyId() {
        return keyId;
    }

    /** The external pseudonym of a raw id (identity when disabled; null stays null). */
    public String pseudonym(String rawId) {
        if (!enabled || rawId == null) {
            return rawId;
        }
        return B64.encodeToString(mac(true).doFinal(rawId.getBytes(StandardCharsets.UTF_8)));
    }

    /** The in-job form of a raw id: deterministic, authenticated encryption (identity when disabled). */
    public String seal(String rawId) {
        if (!enabled || rawId == null) {
            return rawId;
        }
        byte[] plain = rawId.getBytes(StandardCharsets.UTF_8);
        byte[] iv = Arrays.copyOf(mac(false).doFinal(plain), IV_BYTES);
        try {
            // CTR, not GCM: the JDK's GCM refuses to encrypt twice with one IV, which determinism needs.
            Cipher c = cipher();
            c.init(Cipher.ENCRYPT_MODE, sealSpec, new IvParameterSpec(iv));
            byte[] ct = c.doFinal(plain);
            return B64.encodeToString(ByteBuffer.allocate(IV_BYTES + ct.length).put(iv).put(ct).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-CTR unavailable", e);
        }
    }

    /** The raw id of a sealed one; fails on anything not sealed under this key (a wiring bug, never user input). */
    public String unseal(String sealed) {
        if (!enabled || sealed == null) {
            return sealed;
        }
        try {
            byte[] all = B64D.decode(sealed);
            if (all.length < IV_BYTES) {
                throw new IllegalArgumentException("too short");
            }
            byte[] iv = Arrays.copyOf(all, IV_BYTES);
            Cipher c = cipher();
            c.init(Cipher.DECRYPT_MODE, sealSpec, new IvParameterSpec(iv));
            byte[] plain = c.doFinal(all, IV_BYTES, all.length - IV_BYTES);
            if (!MessageDigest.isEqual(iv, Arrays.copyOf(mac(false).doFinal(plain), IV_BYTES))) {
                throw new IllegalArgumentException("not authentic");
            }
            return new String(plain, StandardCharsets.UTF_8);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException("member id is not sealed under key " + keyId + " (restored from state written with another key?)");
        }
    }

    /** Sealed in-job id → external pseudonym. */
    public String external(String sealed) {
        return enabled && sealed != null ? pseudonym(unseal(sealed)) : sealed;
    }

    private Mac mac(boolean pseudonym) {
        try {
            if (pseudonym) {
                if (pseudonymMac == null) {
                    pseudonymMac = newMac(pseudonymKey);
                }
                return pseudonymMac;
            }
            if (ivMac == null) {
                ivMac = newMac(ivKey);
            }
            return ivMac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    private Cipher cipher() throws GeneralSecurityException {
        if (cipher == null) {
            cipher = Cipher.getInstance("AES/CTR/NoPadding");
            sealSpec = new SecretKeySpec(sealKey, "AES");
        }
        return cipher;
    }

    private static Mac newMac(byte[] key) throws GeneralSecurityException {
        Mac m = Mac.getInstance("HmacSHA256");
        m.init(new SecretKeySpec(key, "HmacSHA256"));
        return m;
    }

    private static byte[] derive(byte[] secret, String label) {
        try {
            return newMac(secret).doFinal(label.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    @Override
    public String toString() {
        // Never the key material: this object ends up in job graphs and error messages.
        return enabled ? "Pseudonymizer{key_id=" + keyId + "}" : "Pseudonymizer{disabled}";
    }
}
