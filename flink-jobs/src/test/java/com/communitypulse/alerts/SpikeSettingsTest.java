package com.communitypulse.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import com.communitypulse.config.PulseConfig;
import org.junit.jupiter.api.Test;

class SpikeSettingsTest {
    static SpikeSettings withSignificance(double alpha) {
        return new SpikeSettings(900_000L, 0.4, 10, 3, 3.0, 86_400_000L, 16, 0.1, 300_000L, 0.6, 86_400_000L, alpha, 0.1);
    }

    /** P(X >= k) for X ~ Binomial(n, p), summed term by term with plain doubles from k = 0 (independent of the log-space code). */
    static double tail(int n, int k, double p) {
        double below = 0;
        double term = Math.pow(1 - p, n); // P(X = 0)
        for (int i = 0; i < k; i++) {
            below += term;
            term = term * (n - i) / (i + 1) * p / (1 - p);
        }
        return 1 - below;
    }

    @Test
    void shouldAgreeWithADirectBinomialTailWhenDecidingSignificance() {
        int checked = 0;
        for (int n : new int[] {10, 12, 20, 37, 60}) {
            for (int k = 0; k <= n; k++) {
                for (double p : new double[] {0.05, 0.1, 0.25}) {
                    double t = tail(n, k, p);
                    for (double alpha : new double[] {0.001, 0.01, 0.05}) {
                        // Skip the knife edge where rounding of either sum could decide.
                        if (Math.abs(t - alpha) < 1e-9 * Math.max(1, alpha)) continue;
                        assertThat(withSignificance(alpha).significant(k, n, p)).as("n=%d k=%d p=%s alpha=%s tail=%s", n, k, p, alpha, t)
                                .isEqualTo(t <= alpha);
                        checked++;
                    }
                }
            }
        }
        assertThat(checked).isGreaterThan(1000);
    }

    @Test
    void shouldTreatSixNegativesAmongTenAsChanceButSevenAsASpikeAtTheDefaults() {
        SpikeSettings s = SpikeSettings.from(PulseConfig.defaults());
        assertThat(s.significant(4, 10, s.priorRatio)).isFalse(); // P ≈ 0.013
        // P ≈ 0.00015: the 1M-event recount's false alarms all had 1.5e-4 ≤ P ≤ 1e-3 (a window tested every minute).
        assertThat(s.significant(6, 10, s.priorRatio)).isFalse();
        assertThat(s.significant(9, 18, 0.1287)).isFalse(); // P ≈ 0.00016, one of them
        assertThat(s.significant(7, 10, s.priorRatio)).isTrue(); // P ≈ 0.000009
        assertThat(s.significant(12, 24, 0.1)).isTrue();
    }

    @Test
    void shouldAcceptEverythingWhenSignificanceIsOff() {
        assertThat(withSignificance(1.0).significant(1, 10, 0.5)).isTrue();
    }
}
