package com.communitypulse.dashboards;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class PromQlTest {
    @Test
    void shouldSplitAComparisonAndASetOperatorIntoOperandsWhenTheConditionIsCompound() {
        assertThat(PromQl.operands("max by (job_name) (increase(x[10m])) == 0\nand on (job_name) max by (job_name) (y) > 600000"))
                .containsExactly("max by (job_name) (increase(x[10m]))", "max by (job_name) (y)");
    }

    @Test
    void shouldNotSplitInsideSelectorsOrStringsWhenTheyContainOperatorCharacters() {
        assertThat(PromQl.operands("up{job!=\"a>b\",x=~\"c|d\"} == 0")).containsExactly("up{job!=\"a>b\",x=~\"c|d\"}");
        assertThat(PromQl.operands("rate(a[5m]) / rate(b[5m]) > bool 0.01")).containsExactly("rate(a[5m]) / rate(b[5m])");
    }

    @Test
    void shouldSubstituteGrafanaVariablesAndRejectUnknownOnesWhenPreparingAQuery() {
        assertThat(PromQl.substitute("rate(x{c=\"$community\"}[$__rate_interval]) ${window}", Map.of("community", "c1", "__rate_interval", "1m", "window", "PT1M")))
                .isEqualTo("rate(x{c=\"c1\"}[1m]) PT1M");
        assertThatThrownBy(() -> PromQl.substitute("x{a=\"$nope\"}", Map.of())).hasMessageContaining("$nope");
    }
}
