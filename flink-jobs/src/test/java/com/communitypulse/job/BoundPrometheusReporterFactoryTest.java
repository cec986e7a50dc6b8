package com.communitypulse.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.communitypulse.connectors.kafka.KafkaBroker;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Collections;
import java.util.Optional;
import java.util.Properties;
import org.apache.flink.metrics.reporter.MetricReporter;
import org.junit.jupiter.api.Test;

class BoundPrometheusReporterFactoryTest {

    @Test
    void shouldServeMetricsOnLoopbackOnlyWhenBoundTo127001() throws Exception {
        int port = KafkaBroker.freePort();
        Properties p = new Properties();
        p.setProperty("host", "127.0.0.1");
        p.setProperty("port", Integer.toString(port));
        MetricReporter r = new BoundPrometheusReporterFactory().createMetricReporter(p);
        try {
            int status = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode();
            assertThat(status).isEqualTo(200);
            Optional<InetAddress> external = Collections.list(NetworkInterface.getNetworkInterfaces()).stream()
                    .flatMap(i -> Collections.list(i.getInetAddresses()).stream())
                    .filter(a -> a instanceof Inet4Address && !a.isLoopbackAddress()).findFirst();
            if (external.isPresent()) { // a machine without a non-loopback address has nothing to check here
                assertThatThrownBy(() -> {
                    try (Socket s = new Socket()) {
                        s.connect(new InetSocketAddress(external.get(), port), 1000);
                    }
                }).isInstanceOf(IOException.class);
            }
        } finally {
            r.close();
        }
    }
}
