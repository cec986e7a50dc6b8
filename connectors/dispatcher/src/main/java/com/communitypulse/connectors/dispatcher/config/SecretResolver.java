package com.communitypulse.connectors.dispatcher.config;

import com.communitypulse.flags.UsageException;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Resolves secret references in config values: {@code ${env:NAME}} from the environment and
 * {@code ${secret:KEY}} from the secrets file (Java properties) named by {@code secrets_file}. A value
 * without a reference is used literally. Every resolved secret is remembered so that {@link #mask}
 * can scrub it from any text that might reach a log, an error message or a dead-letter record.
 */
public final class SecretResolver {

    private static final Pattern REF = Pattern.compile("\\$\\{(env|secret):([A-Za-z0-9_.\\-]+)}");

    private final Function<String, String> env;
    private final Path secretsFile;
    private Properties fileSecrets;
    private final Set<String> known = ConcurrentHashMap.newKeySet();

    public SecretResolver(Function<String, String> env, Path secretsFile) {
        this.env = env;
        this.secretsFile = secretsFile;
    }

    /** The environment this resolver reads (for settings that name an environment variable themselves). */
    public String env(String name) {
        return env.apply(name);
    }

    /** True when the value is (or contains) a reference rather than a literal secret. */
    public static boolean isReference(String value) {
        return value != null && REF.matcher(value).find();
    }

    /** Resolves all references in {@code value}; {@code path} names the setting in errors. */
    public String resolve(String path, String value) {
        if (value == null) {
            return null;
        }
        Matcher m = REF.matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(2);
            String v;
            if (m.group(1).equals("env")) {
                v = env.apply(name);
                if (v == null || v.isEmpty()) {
                    throw new UsageException(path + ": environment variable " + name + " is not set: export it before starting the dispatcher");
                }
            } else {
                v = fileSecrets(path).getProperty(name);
                if (v == null || v.isEmpty()) {
                    throw new UsageException(path + ": key '" + name + "' is missing from the secrets file " + secretsFile + ": add " + name + "=...");
                }
            }
            m.appendReplacement(out, Matcher.quoteReplacement(v));
        }
        m.appendTail(out);
        String resolved = out.toString();
        remember(resolved);
        return resolved;
    }

    /** Registers a value to be masked (e.g. a literal URL). */
    public void remember(String secret) {
        if (secret != null && secret.length() >= 4) {
            known.add(secret);
        }
    }

    /** Replaces every known secret in {@code text} with {@code ****}. */
    public String mask(String text) {
        if (text == null) {
            return null;
        }
        String s = text;
        for (String k : known) {
            s = s.replace(k, "****");
        }
        return s;
    }

    private Properties fileSecrets(String path) {
        if (fileSecrets == null) {
            if (secretsFile == null) {
                throw new UsageException(path + " uses ${secret:...} but no secrets_file is configured: add secrets_file: /path/to/secrets.properties");
            }
            Properties p = new Properties();
            try (Reader r = Files.newBufferedReader(secretsFile, StandardCharsets.UTF_8)) {
                p.load(r);
            } catch (IOException e) {
                throw new UsageException("secrets_file " + secretsFile + " cannot be read (" + e.getClass().getSimpleName() + "): check the path and permissions");
            }
            fileSecrets = p;
        }
        return fileSecrets;
    }
}
