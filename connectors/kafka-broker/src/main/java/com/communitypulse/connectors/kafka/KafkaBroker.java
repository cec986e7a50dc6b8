package com.communitypulse.connectors.kafka;

import com.communitypulse.launcher.ChildProcess;
import com.communitypulse.launcher.Dirs;
import com.communitypulse.launcher.LibDir;
import com.communitypulse.launcher.Ports;
import com.communitypulse.launcher.Readiness;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * A real single-node Apache Kafka 4.1 broker in KRaft mode, running as a child JVM on 127.0.0.1.
 *
 * <p>Used by the real-Kafka tests and by {@code pulse demo}. The broker runs from the jars that the
 * {@code pulse-kafka-broker} module copies into {@code target/broker-lib} at build time, so its
 * classpath never mixes with the job's own kafka-clients. The location can be overridden with the
 * environment variable {@code PULSE_KAFKA_LIB}.
 *
 * <h2>How to run</h2>
 * <pre>{@code
 * try (KafkaBroker broker = KafkaBroker.builder().start()) {
 *     broker.createTopics(List.of("pulse.messages"), 2);
 *     String bootstrap = broker.bootstrapServers();   // 127.0.0.1:<free port>
 * }
 * }</pre>
 *
 * <p>With {@link Builder#saslSsl(String, String)} the broker also opens a SASL_SSL listener on
 * loopback (SCRAM-SHA-256 and -512) with a freshly generated self-signed certificate for
 * 127.0.0.1; {@link #truststore()} holds it for clients. The PLAINTEXT listener stays (loopback
 * only) for the fixture's own admin work.
 *
 * <p>Every topic this launcher creates gets {@code retention.ms=-1}: our records carry event-time
 * timestamps, and with replayed history the broker would otherwise delete them within minutes.
 */
public final class KafkaBroker implements AutoCloseable {

    /** Broker-side maximum for producer transactions; the job's sink timeout must stay below it. */
    public static final Duration TRANSACTION_MAX_TIMEOUT = Duration.ofMinutes(15);

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);

    private final Path dataDir;
    private final boolean deleteOnClose;
    private final int port;
    private final int controllerPort;
    private final int saslPort;
    private final Path truststore;
    private final String truststorePassword;
    private final ChildProcess process;
    private final Path logFile;
    private final Thread shutdownHook;
    private volatile boolean closed;

    private KafkaBroker(Builder b) throws IOException {
        this.deleteOnClose = b.dataDir == null;
        this.dataDir = b.dataDir != null ? Files.createDirectories(b.dataDir) : Files.createTempDirectory("pulse-kafka-");
        this.port = b.port > 0 ? b.port : Ports.free();
        this.controllerPort = Ports.free();
        this.logFile = dataDir.resolve("broker.log");
        Path lib = brokerLib();
        Map<String, String> extra = new LinkedHashMap<>();
        if (b.saslUser != null) {
            this.saslPort = Ports.free();
            this.truststorePassword = randomSecret();
            String keystorePassword = randomSecret();
            Path tls = Files.createDirectories(dataDir.resolve("tls"));
            this.truststore = Tls.selfSigned(tls, keystorePassword, truststorePassword);
            extra.put("listeners", "PLAINTEXT://127.0.0.1:" + port + ",SASL_SSL://127.0.0.1:" + saslPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
            extra.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port + ",SASL_SSL://127.0.0.1:" + saslPort);
            extra.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,SASL_SSL:SASL_SSL,CONTROLLER:PLAINTEXT");
            extra.put("sasl.enabled.mechanisms", "SCRAM-SHA-256,SCRAM-SHA-512");
            extra.put("listener.name.sasl_ssl.scram-sha-256.sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required;");
            extra.put("listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required;");
            extra.put("listener.name.sasl_ssl.ssl.keystore.location", tls.resolve(Tls.KEYSTORE).toString());
            extra.put("listener.name.sasl_ssl.ssl.keystore.password", keystorePassword);
            extra.put("listener.name.sasl_ssl.ssl.keystore.type", "PKCS12");
        } else {
            this.saslPort = -1;
            this.truststore = null;
            this.truststorePassword = null;
        }
        extra.putAll(b.extraProperties);
        Path props = writeServerProperties(extra);
        Path log4j = writeLog4j();

        List<String> jvm = List.of("-Xms256m", "-Xmx" + b.heap, "-XX:+UseG1GC", "-Dlog4j2.configurationFile=" + log4j.toUri());

        if (!Files.exists(dataDir.resolve("logs").resolve("meta.properties"))) {
            ChildProcess.java("kafka.tools.StorageTool").classpathDir(lib).jvmOptions(jvm)
                    .args("format", "-t", randomClusterId(), "-c", props.toString())
                    .log(dataDir.resolve("format.log")).name("Kafka storage format").start()
                    .awaitSuccess(Duration.ofSeconds(60));
        }
        this.process = ChildProcess.java("kafka.Kafka").classpathDir(lib).jvmOptions(jvm).args(props.toString())
                .log(logFile).name("Kafka broker").stopGrace(Duration.ofSeconds(20)).start();
        this.shutdownHook = new Thread(this::stopQuietly, "kafka-broker-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        try {
            awaitReady();
            if (b.saslUser != null) {
                // Over the loopback PLAINTEXT listener, so the password is never on a command line.
                TopicAdmin.upsertScramUser(bootstrapServers(), b.saslUser, b.saslPassword);
                TopicAdmin.awaitLogin(saslSslClientProperties(b.saslUser, b.saslPassword, "SCRAM-SHA-512"), READY_TIMEOUT);
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** {@code 127.0.0.1:<port>} of the PLAINTEXT listener. */
    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    /** {@code 127.0.0.1:<port>} of the SASL_SSL listener (only with {@link Builder#saslSsl}). */
    public String saslSslBootstrapServers() {
        if (saslPort < 0) {
            throw new IllegalStateException("this broker has no SASL_SSL listener: start it with builder().saslSsl(user, password)");
        }
        return "127.0.0.1:" + saslPort;
    }

    /** PKCS12 truststore holding the SASL_SSL listener's certificate (only with {@link Builder#saslSsl}). */
    public Path truststore() {
        return truststore;
    }

    /** Password of {@link #truststore()} (random per broker; a fixture value, not a credential). */
    public String truststorePassword() {
        return truststorePassword;
    }

    /** Client properties for the SASL_SSL listener with the given credentials. */
    public Properties saslSslClientProperties(String user, String password, String mechanism) {
        Properties p = new Properties();
        p.setProperty("bootstrap.servers", saslSslBootstrapServers());
        p.setProperty("security.protocol", "SASL_SSL");
        p.setProperty("sasl.mechanism", mechanism);
        p.setProperty("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + user
                + "\" password=\"" + password + "\";");
        p.setProperty("ssl.truststore.location", truststore.toString());
        p.setProperty("ssl.truststore.password", truststorePassword);
        p.setProperty("ssl.truststore.type", "PKCS12");
        return p;
    }

    /** OS process id of the broker JVM (fault tests SIGSTOP/SIGCONT it). */
    public long pid() {
        return process.pid();
    }

    public Path dataDir() {
        return dataDir;
    }

    public Path logFile() {
        return logFile;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /**
     * Creates topics with the given partition count and {@code retention.ms=-1} unless
     * {@code topicConfigs} says otherwise; topics that already exist are left as they are.
     */
    public void createTopics(Map<String, Integer> partitionsByTopic, Map<String, Map<String, String>> topicConfigs) {
        TopicAdmin.createTopics(bootstrapServers(), partitionsByTopic, topicConfigs);
    }

    public void createTopics(List<String> topics, int partitions) {
        Map<String, Integer> m = new LinkedHashMap<>();
        topics.forEach(t -> m.put(t, partitions));
        createTopics(m, Map.of());
    }

    @Override
    public void close() {
        stopQuietly();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException | NullPointerException ignored) {
            // JVM already shutting down, or the hook was never registered.
        }
        if (deleteOnClose) {
            Dirs.deleteQuietly(dataDir);
        }
    }

    private void stopQuietly() {
        if (closed || process == null) {
            return;
        }
        closed = true;
        // A stopped (SIGSTOP) broker ignores SIGTERM until continued.
        signal("CONT");
        process.close();
    }

    /** Sends a POSIX signal (e.g. {@code STOP}, {@code CONT}) to the broker JVM. */
    public void signal(String name) {
        if (process != null) {
            process.signal(name);
        }
    }

    private void awaitReady() {
        try {
            process.awaitReady(Readiness.portOpen(port).and(Readiness.of("the broker answering admin requests",
                    () -> TopicAdmin.isReady(bootstrapServers()))), READY_TIMEOUT);
        } catch (IllegalStateException e) {
            // The broker's last words usually say why (port taken, bad property): show them with the error.
            String tail = process.isAlive() ? "" : "\n" + process.logTail(30);
            throw new IllegalStateException(e.getMessage() + tail, e);
        }
    }

    private Path writeServerProperties(Map<String, String> extra) throws IOException {
        Properties p = new Properties();
        p.setProperty("process.roles", "broker,controller");
        p.setProperty("node.id", "1");
        p.setProperty("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        p.setProperty("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.setProperty("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
        p.setProperty("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.setProperty("controller.listener.names", "CONTROLLER");
        p.setProperty("inter.broker.listener.name", "PLAINTEXT");
        p.setProperty("log.dirs", dataDir.resolve("logs").toString());
        p.setProperty("num.partitions", "2");
        p.setProperty("auto.create.topics.enable", "false");
        p.setProperty("offsets.topic.replication.factor", "1");
        p.setProperty("offsets.topic.num.partitions", "4");
        p.setProperty("transaction.state.log.replication.factor", "1");
        p.setProperty("transaction.state.log.min.isr", "1");
        p.setProperty("transaction.state.log.num.partitions", "4");
        p.setProperty("share.coordinator.state.topic.replication.factor", "1");
        p.setProperty("share.coordinator.state.topic.min.isr", "1");
        p.setProperty("transaction.max.timeout.ms", Long.toString(TRANSACTION_MAX_TIMEOUT.toMillis()));
        p.setProperty("group.initial.rebalance.delay.ms", "0");
        // Replayed history carries old timestamps: never delete by time in tests and the demo.
        p.setProperty("log.retention.ms", "-1");
        p.setProperty("log.segment.bytes", Integer.toString(64 * 1024 * 1024));
        p.putAll(extra);
        Path file = dataDir.resolve("server.properties");
        try (var w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            p.store(w, "community-pulse test/demo broker");
        }
        return file;
    }

    private Path writeLog4j() throws IOException {
        Path file = dataDir.resolve("log4j2.properties");
        Files.writeString(file, String.join("\n",
                "rootLogger.level = INFO",
                "rootLogger.appenderRef.out.ref = out",
                "appender.out.type = Console",
                "appender.out.name = out",
                "appender.out.layout.type = PatternLayout",
                "appender.out.layout.pattern = [%d] %p %m (%c)%n",
                "logger.kafka.name = kafka",
                "logger.kafka.level = WARN",
                "logger.apache.name = org.apache.kafka",
                "logger.apache.level = WARN",
                "logger.ready.name = kafka.server.KafkaRaftServer",
                "logger.ready.level = INFO", ""));
        return file;
    }

    static Path brokerLib() {
        return LibDir.locate("PULSE_KAFKA_LIB", KafkaBroker.class, "/pulse-kafka-broker.properties", "broker.lib", "kafka_2.13-",
                "mvn install -DskipTests");
    }

    private static String randomSecret() {
        byte[] b = new byte[18];
        new SecureRandom().nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    /** Kafka's cluster ids are 16 random bytes in URL-safe base64 without padding. */
    private static String randomClusterId() {
        SecureRandom r = new SecureRandom();
        while (true) {
            byte[] b = new byte[16];
            r.nextBytes(b);
            b[0] |= 0x01; // never the reserved all-zero id
            String id = Base64.getUrlEncoder().withoutPadding().encodeToString(b);
            // An id starting with '-' would be read as an option by the storage tool.
            if (Character.isLetterOrDigit(id.charAt(0))) {
                return id;
            }
        }
    }

    /** A free loopback port; kept for callers of this class, see {@link Ports#free()}. */
    public static int freePort() {
        return Ports.free();
    }

    /** Options for {@link KafkaBroker}. */
    public static final class Builder {
        private Path dataDir;
        private int port;
        private String heap = "768m";
        private final Map<String, String> extraProperties = new LinkedHashMap<>();
        private String saslUser;
        private String saslPassword;

        /**
         * Adds a SASL_SSL listener on 127.0.0.1 (SCRAM-SHA-256/512, generated certificate) with one
         * SCRAM user for both mechanisms.
         */
        public Builder saslSsl(String user, String password) {
            this.saslUser = user;
            this.saslPassword = password;
            return this;
        }

        /** Keep data in this directory (kept on close); default: a temp dir deleted on close. */
        public Builder dataDir(Path dir) {
            this.dataDir = dir;
            return this;
        }

        /** Fixed PLAINTEXT port; default: a free port. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        public Builder heap(String heap) {
            this.heap = heap;
            return this;
        }

        /** Extra or overriding {@code server.properties} entries (e.g. SASL listeners). */
        public Builder property(String key, String value) {
            extraProperties.put(key, value);
            return this;
        }

        public KafkaBroker start() {
            try {
                return new KafkaBroker(this);
            } catch (IOException e) {
                throw new UncheckedIOException("Could not start the Kafka broker", e);
            }
        }
    }
}
