package com.communitypulse.testutils;

import com.communitypulse.privacy.Pseudonymizer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** A fixed pseudonymisation key for tests, so expected pseudonyms can be computed independently. */
public final class TestKeys {
    public static final String SECRET = "test-only-pseudonymisation-key-0123456789";
    public static final String KEY_ID = "k1";

    private TestKeys() {}

    /** Writes the key to {@code dir/privacy.key} and returns its path (for {@code privacy.key-file}). */
    public static String file(Path dir) {
        try {
            Files.createDirectories(dir);
            return Files.writeString(dir.resolve("privacy.key"), SECRET + "\n").toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Pseudonymizer pseudonymizer() {
        return Pseudonymizer.of(KEY_ID, SECRET.getBytes(StandardCharsets.UTF_8));
    }
}
