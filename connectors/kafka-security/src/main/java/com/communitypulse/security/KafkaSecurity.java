package com.communitypulse.security;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;

/**
 * The Kafka security section shared by every client of the project (job sources, sinks and admin,
 * exporter, dispatcher, test and demo tools): one set of keys, one validation, one way to load the
 * secrets. Apply it with {@link #applyTo(Properties)}.
 *
 * <p>Keys (the job and exporter use them as written; the dispatcher's YAML uses them under
 * {@code kafka.security} without the {@code kafka.} prefix):
 * <pre>
 * kafka.security.protocol               PLAINTEXT | SSL | SASL_PLAINTEXT | SASL_SSL
 * kafka.sasl.mechanism                  SCRAM-SHA-256 | SCRAM-SHA-512
 * kafka.sasl.username                   the SCRAM user
 * kafka.sasl.password-file              file holding the password (else env PULSE_KAFKA_SASL_PASSWORD)
 * kafka.ssl.truststore                  truststore file (PKCS12 or JKS) with the broker's CA
 * kafka.ssl.truststore-type             PKCS12 | JKS
 * kafka.ssl.truststore-password-file    file holding its password (else env PULSE_KAFKA_SSL_TRUSTSTORE_PASSWORD)
 * kafka.ssl.endpoint-identification     true: the certificate must name the broker host (Kafka's default)
 * </pre>
 *
 * <p>Secrets only ever come from files or environment variables. {@link #toString()} and
 * {@link #describe()} mask them, and {@link #mask(String)} scrubs them from any text (e.g. a
 * client error) before it is printed.
 */
public final class KafkaSecurity {
    public static final String PROTOCOL = "kafka.security.protocol";
    public static final String MECHANISM = "kafka.sasl.mechanism";
    public static final String USERNAME = "kafka.sasl.username";
    public static final String PASSWORD_FILE = "kafka.sasl.password-file";
    public static final String TRUSTSTORE = "kafka.ssl.truststore";
    public static final String TRUSTSTORE_TYPE = "kafka.ssl.truststore-type";
    public static final String TRUSTSTORE_PASSWORD_FILE = "kafka.ssl.truststore-password-file";
    public static final String ENDPOINT_IDENTIFICATION = "kafka.ssl.endpoint-identification";
    public static final String PASSWORD_ENV = "PULSE_KAFKA_SASL_PASSWORD";
    public static final String TRUSTSTORE_PASSWORD_ENV = "PULSE_KAFKA_SSL_TRUSTSTORE_PASSWORD";

    /** Key, default, description — for the typed option tables of the job and the exporter. */
    public record Key(String key, String defaultValue, String description, boolean secretRef) {}

    public static final List<Key> KEYS = List.of(
            new Key(PROTOCOL, "PLAINTEXT", "Kafka security protocol of every client (job, exporter, dispatcher): PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL", false),
            new Key(MECHANISM, "SCRAM-SHA-512", "SASL mechanism: SCRAM-SHA-256 or SCRAM-SHA-512", false),
            new Key(USERNAME, "", "SASL/SCRAM user name", false),
            new Key(PASSWORD_FILE, "", "File holding the SASL password (else the environment variable " + PASSWORD_ENV + "); never a flag or config value", true),
            new Key(TRUSTSTORE, "", "TLS truststore file (PKCS12 or JKS) holding the broker's CA; empty = the JVM's default CAs", false),
            new Key(TRUSTSTORE_TYPE, "PKCS12", "Type of the truststore: PKCS12 or JKS", false),
            new Key(TRUSTSTORE_PASSWORD_FILE, "", "File holding the truststore password (else the environment variable " + TRUSTSTORE_PASSWORD_ENV + ")", true),
            new Key(ENDPOINT_IDENTIFICATION, "true", "Verify that the broker certificate names the host connected to (keep true outside tests)", false));

    private static final List<String> PROTOCOLS = List.of("PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL");
    private static final List<String> MECHANISMS = List.of("SCRAM-SHA-256", "SCRAM-SHA-512");

    private final String protocol;
    private final String mechanism;
    private final String username;
    private final String password;
    private final String truststore;
    private final String truststoreType;
    private final String truststorePassword;
    private final boolean endpointIdentification;

    private KafkaSecurity(String protocol, String mechanism, String username, String password, String truststore,
                          String truststoreType, String truststorePassword, boolean endpointIdentification) {
        this.protocol = protocol;
        this.mechanism = mechanism;
        this.username = username;
        this.password = password;
        this.truststore = truststore;
        this.truststoreType = truststoreType;
        this.truststorePassword = truststorePassword;
        this.endpointIdentification = endpointIdentification;
    }

    /** PLAINTEXT, no secrets. */
    public static KafkaSecurity plaintext() {
        return new KafkaSecurity("PLAINTEXT", "SCRAM-SHA-512", "", null, "", "PKCS12", null, true);
    }

    /**
     * Reads and validates the section. {@code settings} maps a key of {@link #KEYS} to its value
     * (null or empty = default); {@code env} supplies the environment (secrets). Throws
     * {@link SecretException} with a one-line message naming the fix.
     */
    public static KafkaSecurity from(Function<String, String> settings, Function<String, String> env) {
        String protocol = get(settings, PROTOCOL).toUpperCase(Locale.ROOT);
        if (!PROTOCOLS.contains(protocol)) {
            throw new SecretException("Invalid value '" + protocol + "' for " + PROTOCOL + ": use one of " + String.join(", ", PROTOCOLS));
        }
        String mechanism = get(settings, MECHANISM).toUpperCase(Locale.ROOT);
        if (!MECHANISMS.contains(mechanism)) {
            throw new SecretException("Invalid value '" + mechanism + "' for " + MECHANISM + ": use SCRAM-SHA-256 or SCRAM-SHA-512");
        }
        String ei = get(settings, ENDPOINT_IDENTIFICATION).toLowerCase(Locale.ROOT);
        if (!ei.equals("true") && !ei.equals("false")) {
            throw new SecretException("Invalid value '" + ei + "' for " + ENDPOINT_IDENTIFICATION + ": use true or false");
        }
        boolean sasl = protocol.startsWith("SASL_");
        boolean tls = protocol.endsWith("SSL");
        String username = get(settings, USERNAME);
        String password = null;
        if (sasl) {
            if (username.isEmpty()) {
                throw new SecretException(PROTOCOL + "=" + protocol + " needs " + USERNAME + ": set the SCRAM user name");
            }
            password = Secrets.read(PASSWORD_FILE, get(settings, PASSWORD_FILE), PASSWORD_ENV, env);
            if (password == null) {
                throw new SecretException(PROTOCOL + "=" + protocol + " needs a password: set " + PASSWORD_FILE + " FILE or the environment variable " + PASSWORD_ENV);
            }
        }
        String truststore = get(settings, TRUSTSTORE);
        String truststoreType = get(settings, TRUSTSTORE_TYPE).toUpperCase(Locale.ROOT);
        if (!truststoreType.equals("PKCS12") && !truststoreType.equals("JKS")) {
            throw new SecretException("Invalid value '" + truststoreType + "' for " + TRUSTSTORE_TYPE + ": use PKCS12 or JKS");
        }
        String truststorePassword = null;
        if (tls && !truststore.isEmpty()) {
            if (!Files.isRegularFile(Path.of(truststore))) {
                throw new SecretException(TRUSTSTORE + ": file " + truststore + " does not exist: point it at the truststore holding the broker's CA");
            }
            truststorePassword = Secrets.read(TRUSTSTORE_PASSWORD_FILE, get(settings, TRUSTSTORE_PASSWORD_FILE), TRUSTSTORE_PASSWORD_ENV, env);
        }
        return new KafkaSecurity(protocol, mechanism, username, password, tls ? truststore : "", truststoreType, truststorePassword,
                Boolean.parseBoolean(ei));
    }

    private static String get(Function<String, String> settings, String key) {
        String v = settings.apply(key);
        if (v == null || v.isBlank()) {
            return KEYS.stream().filter(k -> k.key().equals(key)).findFirst().orElseThrow().defaultValue();
        }
        return v.trim();
    }

    /** Adds the client properties of this section ({@code security.protocol}, SASL JAAS, truststore) to {@code p}. */
    public Properties applyTo(Properties p) {
        p.setProperty("security.protocol", protocol);
        if (protocol.startsWith("SASL_")) {
            p.setProperty("sasl.mechanism", mechanism);
            p.setProperty("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
                    + jaasEscape(username) + "\" password=\"" + jaasEscape(password) + "\";");
        }
        if (protocol.endsWith("SSL")) {
            if (!truststore.isEmpty()) {
                p.setProperty("ssl.truststore.location", truststore);
                p.setProperty("ssl.truststore.type", truststoreType);
                if (truststorePassword != null) {
                    p.setProperty("ssl.truststore.password", truststorePassword);
                }
            }
            p.setProperty("ssl.endpoint.identification.algorithm", endpointIdentification ? "https" : "");
        }
        return p;
    }

    /** The properties as a map (for builders that take key/values). */
    public Map<String, String> asMap() {
        Map<String, String> m = new LinkedHashMap<>();
        applyTo(new Properties()).forEach((k, v) -> m.put(k.toString(), v.toString()));
        return m;
    }

    public String protocol() {
        return protocol;
    }

    public boolean usesSasl() {
        return protocol.startsWith("SASL_");
    }

    /** Scrubs this section's secrets from {@code text} (e.g. an exception message about to be printed). */
    public String mask(String text) {
        List<String> s = new ArrayList<>();
        s.add(password);
        s.add(truststorePassword);
        return Secrets.mask(text, s);
    }

    /** One line for start-up logs, secrets masked. */
    public String describe() {
        StringBuilder sb = new StringBuilder("security.protocol=").append(protocol);
        if (usesSasl()) {
            sb.append(", sasl.mechanism=").append(mechanism).append(", sasl.username=").append(username).append(", password=******");
        }
        if (protocol.endsWith("SSL")) {
            sb.append(", truststore=").append(truststore.isEmpty() ? "(JVM default)" : truststore)
                    .append(", endpoint-identification=").append(endpointIdentification);
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return "KafkaSecurity{" + describe() + "}";
    }

    /**
     * A one-line, secret-free explanation of a Kafka client failure caused by these settings
     * (rejected credentials, TLS trust), or null when the failure is something else. Matches by
     * exception class name so that this module needs no Kafka dependency.
     */
    public String explain(Throwable failure, String bootstrap) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String name = t.getClass().getSimpleName();
            if (name.equals("SaslAuthenticationException")) {
                return "Kafka at " + bootstrap + " rejected the credentials of user '" + username + "' (" + mechanism + "): check "
                        + USERNAME + " and the password in " + PASSWORD_FILE + " or " + PASSWORD_ENV;
            }
            if (name.equals("SslAuthenticationException") || name.equals("SSLHandshakeException")) {
                return "TLS handshake with Kafka at " + bootstrap + " failed (" + mask(oneLine(t.getMessage())) + "): check " + TRUSTSTORE
                        + " (it must hold the broker's CA) and " + ENDPOINT_IDENTIFICATION;
            }
        }
        return null;
    }

    private static String oneLine(String s) {
        return s == null ? "no detail" : s.split("\\R", 2)[0];
    }

    /** JAAS option values are double-quoted; a quote or backslash in a password must not end the value early. */
    static String jaasEscape(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"");
    }
}
