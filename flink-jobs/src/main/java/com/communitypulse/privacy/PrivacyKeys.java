package com.communitypulse.privacy;

import com.communitypulse.flags.UsageException;
import com.communitypulse.config.PulseConfig;
import com.communitypulse.security.SecretException;
import com.communitypulse.security.Secrets;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;

/**
 * Where the pseudonymisation secret comes from: {@code privacy.key-file} or the environment
 * variable {@value #ENV}. Production refuses to start without one (pseudonyms must be stable across
 * restarts, so an ephemeral key would silently break every downstream join); only the demo makes
 * an ephemeral key, and says so.
 */
public final class PrivacyKeys {
    public static final String ENV = "PULSE_PRIVACY_KEY";
    /** 256 bits: the HMAC key strength; shorter secrets are refused rather than padded. */
    public static final int MIN_SECRET_BYTES = 32;

    private PrivacyKeys() {}

    /** The pseudonymiser of {@code cfg}; throws a one-line {@link UsageException} naming the flag and variable when the key is missing. */
    public static Pseudonymizer pseudonymizer(PulseConfig cfg, Map<String, String> env) {
        if (!cfg.get(PulseConfig.PSEUDONYMIZE)) {
            return Pseudonymizer.disabled();
        }
        String secret;
        try {
            secret = Secrets.read(PulseConfig.PRIVACY_KEY_FILE.key(), cfg.get(PulseConfig.PRIVACY_KEY_FILE), ENV, env::get);
        } catch (SecretException e) {
            throw new UsageException(e.getMessage());
        }
        if (secret == null) {
            throw new UsageException("member ids are pseudonymised but no key is configured: set --privacy.key-file FILE or " + ENV
                    + " (at least " + MIN_SECRET_BYTES + " bytes, e.g. openssl rand -base64 32), or pass --privacy.pseudonymize false");
        }
        byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
        if (bytes.length < MIN_SECRET_BYTES) {
            throw new UsageException("the pseudonymisation key is " + bytes.length + " bytes: use at least " + MIN_SECRET_BYTES
                    + " (e.g. openssl rand -base64 32 > key-file)");
        }
        return Pseudonymizer.of(cfg.get(PulseConfig.PRIVACY_KEY_ID), bytes);
    }

    /**
     * For the demo and benchmarks only: {@code cfg} with a fresh key written to {@code dir} when
     * pseudonymisation is on and no key is configured (flag or {@value #ENV}), else {@code cfg}
     * unchanged (null). Callers tell the user that the key lasts for this run only.
     */
    public static PulseConfig withEphemeralKeyIfMissing(PulseConfig cfg, Map<String, String> env, Path dir) throws IOException {
        if (!cfg.get(PulseConfig.PSEUDONYMIZE) || !cfg.get(PulseConfig.PRIVACY_KEY_FILE).isEmpty() || env.get(ENV) != null) {
            return null;
        }
        return cfg.with(PulseConfig.PRIVACY_KEY_FILE.key(), writeEphemeralKey(dir).toString());
    }

    /** Writes a fresh random key (owner-only permissions where the file system has them) and returns its path. */
    public static Path writeEphemeralKey(Path dir) throws IOException {
        byte[] b = new byte[32];
        new SecureRandom().nextBytes(b);
        Path f = dir.resolve("privacy.key");
        Files.writeString(f, Base64.getEncoder().encodeToString(b) + "\n", StandardCharsets.US_ASCII);
        try {
            Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // non-POSIX file system: the temp directory's own permissions apply
        }
        return f;
    }
}
