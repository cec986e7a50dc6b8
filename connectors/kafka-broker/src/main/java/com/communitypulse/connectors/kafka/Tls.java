package com.communitypulse.connectors.kafka;

import com.communitypulse.launcher.ChildProcess;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Generates a self-signed certificate for 127.0.0.1 with the JDK's {@code keytool} (no extra
 * dependency, and the same tool an operator would use): a PKCS12 keystore for the broker and a
 * PKCS12 truststore holding just that certificate for clients. Valid for two days: test fixtures only.
 */
final class Tls {
    static final String KEYSTORE = "broker.keystore.p12";
    static final String TRUSTSTORE = "client.truststore.p12";

    private Tls() {}

    /** Writes both stores into {@code dir} and returns the truststore path. */
    static Path selfSigned(Path dir, String keystorePassword, String truststorePassword) {
        Path ks = dir.resolve(KEYSTORE);
        Path cert = dir.resolve("broker.crt");
        Path ts = dir.resolve(TRUSTSTORE);
        keytool(dir, "-genkeypair", "-alias", "broker", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1,dns:localhost",
                "-keystore", ks.toString(), "-storetype", "PKCS12", "-storepass", keystorePassword, "-keypass", keystorePassword);
        keytool(dir, "-exportcert", "-alias", "broker", "-rfc", "-file", cert.toString(), "-keystore", ks.toString(),
                "-storetype", "PKCS12", "-storepass", keystorePassword);
        keytool(dir, "-importcert", "-noprompt", "-alias", "broker", "-file", cert.toString(), "-keystore", ts.toString(),
                "-storetype", "PKCS12", "-storepass", truststorePassword);
        return ts;
    }

    private static void keytool(Path dir, String... args) {
        ChildProcess.binary(Path.of(System.getProperty("java.home"), "bin", "keytool")).args(args)
                .log(dir.resolve("keytool.log")).name("keytool " + args[0]).start()
                .awaitSuccess(Duration.ofSeconds(60));
    }
}
