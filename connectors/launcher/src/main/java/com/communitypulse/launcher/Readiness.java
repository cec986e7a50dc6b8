package com.communitypulse.launcher;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.BooleanSupplier;

/**
 * When a {@link ChildProcess} counts as ready. A probe is asked repeatedly until it says yes, so it
 * must be cheap and must not throw for "not yet"; its {@code toString} names what it waits for in
 * the timeout message.
 */
public interface Readiness {

    /** True once ready; false (never an exception) while not yet. */
    boolean ready();

    /** A TCP connect to {@code 127.0.0.1:port} succeeds. */
    static Readiness portOpen(int port) {
        return named("port 127.0.0.1:" + port + " open", () -> Ports.isOpen(port));
    }

    /** {@code GET url} answers 200. */
    static Readiness httpOk(String url) {
        return named("HTTP 200 from " + url, () -> {
            try {
                HttpURLConnection c = (HttpURLConnection) URI.create(url).toURL().openConnection();
                c.setConnectTimeout(1000);
                c.setReadTimeout(1000);
                try {
                    return c.getResponseCode() == 200;
                } finally {
                    c.disconnect();
                }
            } catch (IOException notYet) {
                return false;
            }
        });
    }

    /** {@code log} contains {@code text} (anywhere; the file may not exist yet). */
    static Readiness logContains(Path log, String text) {
        return named("'" + text + "' in " + log, () -> {
            try {
                return Files.exists(log) && Files.readString(log, StandardCharsets.UTF_8).contains(text);
            } catch (IOException notYet) {
                return false;
            }
        });
    }

    /** Any check; {@code description} names it in the timeout message. */
    static Readiness of(String description, BooleanSupplier check) {
        return named(description, check);
    }

    /** Both hold; the second is asked only once the first does. */
    default Readiness and(Readiness next) {
        Readiness first = this;
        return named(first + " and " + next, () -> first.ready() && next.ready());
    }

    private static Readiness named(String description, BooleanSupplier check) {
        return new Readiness() {
            @Override
            public boolean ready() {
                return check.getAsBoolean();
            }

            @Override
            public String toString() {
                return description;
            }
        };
    }
}
