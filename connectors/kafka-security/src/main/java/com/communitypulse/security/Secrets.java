package com.communitypulse.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * Loads a secret from a file or an environment variable — never from a flag or a properties value,
 * which end up in shell history, {@code ps} output and config dumps.
 */
public final class Secrets {
    private Secrets() {}

    /**
     * The secret from {@code file} (if non-empty; trailing newlines trimmed, so {@code echo > file}
     * works) or else from the environment variable {@code envName}; null when neither is set.
     * {@code fileKey} names the setting in error messages.
     */
    public static String read(String fileKey, String file, String envName, Function<String, String> env) {
        if (file != null && !file.isBlank()) {
            Path p = Path.of(file.trim());
            if (!Files.isRegularFile(p)) {
                throw new SecretException(fileKey + ": file " + p + " does not exist: point " + fileKey + " at the secret file");
            }
            try {
                String s = Files.readString(p, StandardCharsets.UTF_8).strip();
                if (s.isEmpty()) {
                    throw new SecretException(fileKey + ": file " + p + " is empty: write the secret into it");
                }
                return s;
            } catch (IOException e) {
                throw new SecretException(fileKey + ": cannot read " + p + " (" + e.getClass().getSimpleName() + "): check its permissions");
            }
        }
        String v = env.apply(envName);
        return v == null || v.isEmpty() ? null : v;
    }

    /** Replaces every occurrence of each non-trivial secret in {@code text} with {@code ******}. */
    public static String mask(String text, Iterable<String> secrets) {
        if (text == null) {
            return null;
        }
        String s = text;
        for (String secret : secrets) {
            if (secret != null && secret.length() >= 4) {
                s = s.replace(secret, "******");
            }
        }
        return s;
    }
}
