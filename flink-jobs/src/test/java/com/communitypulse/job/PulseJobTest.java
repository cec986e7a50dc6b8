package com.communitypulse.job;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.communitypulse.flags.UsageException;
import com.communitypulse.config.PulseConfig;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PulseJobTest {
    @Test
    void shouldNameTheFixInOneLineWhenTheWebPortIsTaken() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            int port = taken.getLocalPort();
            PulseConfig cfg = PulseConfig.of(Map.of("web.port", Integer.toString(port)));
            assertThatThrownBy(() -> PulseJob.checkWebPortFree(cfg))
                    .isInstanceOf(UsageException.class)
                    .hasMessage("web.port " + port + " on 127.0.0.1 is in use (another pulse run, the demo or a Flink cluster?): "
                            + "stop it or pass --web.port 0 (any free port) or another port");
        }
    }

    @Test
    void shouldAcceptAFreePortAndPortZero() throws Exception {
        int free;
        try (ServerSocket s = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            free = s.getLocalPort();
        }
        assertThatCode(() -> PulseJob.checkWebPortFree(PulseConfig.of(Map.of("web.port", Integer.toString(free))))).doesNotThrowAnyException();
        assertThatCode(() -> PulseJob.checkWebPortFree(PulseConfig.of(Map.of("web.port", "0")))).doesNotThrowAnyException();
    }
}
