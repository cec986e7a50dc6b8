package com.communitypulse.alerts;

/**
 * A community's exponentially weighted mean and variance of its negative ratio per window (one
 * sample per aligned window with enough messages).
 *
 * <p>Early samples get weight {@code 1/n} (a plain average) until that falls below the configured
 * {@code alpha}, so a young baseline is not dominated by its first window.
 */
public class SpikeBaseline {
    private double mean;
    private double variance;
    private int samples;

    public SpikeBaseline() {}

    void add(double x, double alpha) {
        samples++;
        if (samples == 1) {
            mean = x;
            variance = 0;
            return;
        }
        double a = Math.max(alpha, 1.0 / samples);
        double diff = x - mean;
        double incr = a * diff;
        mean += incr;
        variance = (1 - a) * (variance + diff * incr);
    }

    double stddev() {
        return Math.sqrt(Math.max(0, variance));
    }

    public double getMean() { return mean; }
    public void setMean(double mean) { this.mean = mean; }
    public double getVariance() { return variance; }
    public void setVariance(double variance) { this.variance = variance; }
    public int getSamples() { return samples; }
    public void setSamples(int samples) { this.samples = samples; }
}
