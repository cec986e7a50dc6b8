package com.communitypulse.sentiment;

import java.io.PrintStream;
import java.util.Locale;

/**
 * Confusion counts for the binary dev sets. A prediction counts as negative when its label is
 * negative and as positive otherwise (neutral is "not negative"); macro-F1 averages the two classes.
 */
final class BinaryEvaluation {

    long truePos; // actual positive, predicted not-negative
    long falseNeg; // actual positive, predicted negative
    long trueNeg; // actual negative, predicted negative
    long falsePos; // actual negative, predicted not-negative
    long neutral;

    void add(boolean actualPositive, SentimentLabel predicted) {
        boolean predictedNegative = predicted == SentimentLabel.NEGATIVE;
        if (predicted == SentimentLabel.NEUTRAL) {
            neutral++;
        }
        if (actualPositive) {
            if (predictedNegative) {
                falseNeg++;
            } else {
                truePos++;
            }
        } else if (predictedNegative) {
            trueNeg++;
        } else {
            falsePos++;
        }
    }

    void addAll(BinaryEvaluation o) {
        truePos += o.truePos;
        falseNeg += o.falseNeg;
        trueNeg += o.trueNeg;
        falsePos += o.falsePos;
        neutral += o.neutral;
    }

    long total() {
        return truePos + falseNeg + trueNeg + falsePos;
    }

    double accuracy() {
        return ratio(truePos + trueNeg, total());
    }

    double precision(boolean positiveClass) {
        return positiveClass ? ratio(truePos, truePos + falsePos) : ratio(trueNeg, trueNeg + falseNeg);
    }

    double recall(boolean positiveClass) {
        return positiveClass ? ratio(truePos, truePos + falseNeg) : ratio(trueNeg, trueNeg + falsePos);
    }

    double f1(boolean positiveClass) {
        double p = precision(positiveClass);
        double r = recall(positiveClass);
        return p + r == 0 ? 0 : 2 * p * r / (p + r);
    }

    double macroF1() {
        return (f1(true) + f1(false)) / 2;
    }

    private static double ratio(long a, long b) {
        return b == 0 ? 0 : (double) a / b;
    }

    void print(PrintStream out) {
        out.printf(Locale.ROOT, "rows        %d (%d positive, %d negative); %d predicted neutral, counted as positive%n",
                total(), truePos + falseNeg, trueNeg + falsePos, neutral);
        out.printf(Locale.ROOT, "accuracy    %.4f%n", accuracy());
        out.printf(Locale.ROOT, "class       precision  recall  f1      support%n");
        out.printf(Locale.ROOT, "negative    %.4f     %.4f  %.4f  %d%n", precision(false), recall(false), f1(false), trueNeg + falsePos);
        out.printf(Locale.ROOT, "positive    %.4f     %.4f  %.4f  %d%n", precision(true), recall(true), f1(true), truePos + falseNeg);
        out.printf(Locale.ROOT, "macro-F1    %.4f%n", macroF1());
        out.printf(Locale.ROOT, "confusion (rows actual, columns predicted)%n");
        out.printf(Locale.ROOT, "            negative  positive%n");
        out.printf(Locale.ROOT, "negative    %8d  %8d%n", trueNeg, falsePos);
        out.printf(Locale.ROOT, "positive    %8d  %8d%n", falseNeg, truePos);
    }
}
