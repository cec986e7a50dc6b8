package com.communitypulse.connectors.kafka;

import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.TimeUnit;

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
        List<String> cmd = new java.util.ArrayList<>();
        cmd.add(Paths.get(System.getProperty("java.home"), "bin", "keytool").toString());
        cmd.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("keytool.log").toFile())).start();
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IllegalStateException("keytool " + args[0] + " failed; see " + dir.resolve("keytool.log"));
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run keytool from " + System.getProperty("java.home") + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running keytool", e);
        }
    }
}
