package com.communitypulse.config;

import com.communitypulse.flags.UsageException;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class OptionTest {
    @Test
    void shouldParseMemorySizesInFlinkSyntax() {
        assertThat(PulseConfig.defaults().get(PulseConfig.LOCAL_MANAGED_MEMORY)).isEqualTo(768L << 20);
        assertThat(PulseConfig.of(Map.of("state.local-managed-memory", "1g")).get(PulseConfig.LOCAL_MANAGED_MEMORY)).isEqualTo(1L << 30);
        assertThat(PulseConfig.of(Map.of("state.local-managed-memory", "256 mb")).get(PulseConfig.LOCAL_MANAGED_MEMORY)).isEqualTo(256L << 20);
    }

    @Test
    void shouldNameTheFixWhenMemorySizeIsBadOrTooSmall() {
        for (String bad : new String[] {"lots", "1m", "-3g"}) {
            assertThatThrownBy(() -> PulseConfig.of(Map.of("state.local-managed-memory", bad)).get(PulseConfig.LOCAL_MANAGED_MEMORY))
                    .isInstanceOf(UsageException.class)
                    .hasMessage("Invalid value '" + bad + "' for state.local-managed-memory: use a size such as 512m or 1g (at least 64m)");
        }
    }
}
