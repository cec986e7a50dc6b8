package com.communitypulse.sentiment;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SentimentCliTest {

    @TempDir
    Path dir;

    /** Captured outcome of one CLI run. */
    private static final class Run {
        int code;
        String out;
        String err;
    }

    private static Run run(String stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Run r = new Run();
        r.code = SentimentCli.run(args, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        r.out = out.toString(StandardCharsets.UTF_8);
        r.err = err.toString(StandardCharsets.UTF_8);
        return r;
    }

    @Test
    void shouldWriteLabelScoreAndCategoriesPerLineInInputOrderWhenScoring() {
        Run r = run("很好吃，送餐也快\n这是假货，骗子！我要退款\n\nThe food was cold and the driver was rude!!!\n", "score");
        assertThat(r.code).isZero();
        assertThat(r.err).isEmpty();
        String[] lines = r.out.split("\n", -1);
        assertThat(lines).hasSize(5);
        assertThat(lines[4]).isEmpty();
        for (int i = 0; i < 4; i++) {
            assertThat(lines[i]).matches("(positive|neutral|negative)\t-?[01]\\.\\d{4}\t[a-z,]*");
        }
        assertThat(lines[0]).startsWith("positive\t0.").endsWith("\t");
        assertThat(lines[1]).startsWith("negative\t-0.").endsWith("\trefund,counterfeit,fraud");
        assertThat(lines[2]).isEqualTo("neutral\t0.0000\t");
        assertThat(lines[3]).startsWith("negative\t").endsWith("\tdelivery,service");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "score --bogus|unknown option --bogus for 'sentiment score': use --model or --lang",
        "eval --data x.csv --modle m|unknown option --modle for 'sentiment eval': did you mean --model?",
        "score --model|--model needs a value",
        "score stray|unexpected argument 'stray'",
        "score --lang fr|--lang must be zh or en",
        "eval|eval needs --data FILE",
        "eval --data x.csv --model m --cv 5|--model and --cv exclude each other",
        "eval --data x.csv --cv two|--cv must be an integer from 2 to 100",
        "train --data x.csv|train needs --out MODEL",
        "train --data x.csv --out m --seed abc|--seed must be an integer",
        "train --data x.csv --out m --epochs 1 --epochs 2|--epochs given twice",
        "train --data x.csv --out m --features words|--features must be both, lexicon or ngrams",
        "train --data x.csv,,y.csv --out m|--data has an empty entry",
        "eval --data x.csv --synthetic 5|--synthetic and --features only apply to --cv",
        "frobnicate|unknown command 'frobnicate'",
        "score --model /no/such.model|does not exist; check the path or train one",
        "eval --data /no/such.csv|does not exist; pass an existing file to --data",
    })
    void shouldExitTwoWithOneLineErrorWhenArgumentsAreBad(String args, String expected) {
        Run r = run("", args.split(" "));
        assertThat(r.code).isEqualTo(2);
        assertThat(r.out).isEmpty();
        assertThat(r.err).startsWith("error: ").contains(expected).doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(r.err.strip().lines()).hasSize(1);
    }

    @Test
    void shouldPrintUsageAndExitTwoWhenNoCommandGiven() {
        Run r = run("");
        assertThat(r.code).isEqualTo(2);
        assertThat(r.err).contains("usage: pulse sentiment");
    }

    @ParameterizedTest
    @CsvSource({"--help", "score --help", "eval -h", "train --help"})
    void shouldPrintHelpAndExitZeroWhenHelpRequested(String args) {
        Run r = run("", args.split(" "));
        assertThat(r.code).isZero();
        assertThat(r.out).contains("usage: pulse sentiment");
        assertThat(r.err).isEmpty();
    }

    @Test
    void shouldTrainEvaluateAndScoreWhenGivenLabelledFile() throws Exception {
        StringBuilder csv = new StringBuilder("label,review\n");
        for (int i = 0; i < 20; i++) {
            csv.append("1,\"送餐很快,味道很好 ").append(i).append("\"\n");
            csv.append("0,饭都凉了，差评 ").append(i).append('\n');
        }
        Path data = dir.resolve("d.csv");
        Files.writeString(data, csv);
        Path model = dir.resolve("m.model");

        Run train = run("", "train", "--data", data.toString(), "--out", model.toString(), "--hash-bits", "12");
        assertThat(train.code).as(train.err).isZero();
        assertThat(train.out).contains("trained on 40 rows (20 positive, 20 negative, 0 neutral)");
        assertThat(model).exists();

        Run eval = run("", "eval", "--data", data.toString(), "--model", model.toString());
        assertThat(eval.code).as(eval.err).isZero();
        assertThat(eval.out).contains("accuracy    1.0000", "macro-F1    1.0000", "confusion");

        Run cv = run("", "eval", "--data", data.toString(), "--cv", "4", "--hash-bits", "12");
        assertThat(cv.code).as(cv.err).isZero();
        assertThat(cv.out).contains("4-fold cross-validation", "fold macro-F1");

        Run bundled = run("", "eval", "--data", data.toString());
        assertThat(bundled.out).contains("scorer      bundled (/sentiment/model-v1.bin)");
        Run lexicon = run("", "eval", "--data", data.toString(), "--model", "lexicon");
        assertThat(lexicon.out).contains("scorer      lexicon");

        // two files: each is cross-validated in turn with the other (and the synthetic rows) always in training
        Path second = dir.resolve("e.txt");
        Files.writeString(second, "great product, works well\t1\nbroke after a day\t0\n".repeat(6));
        Run two = run("", "eval", "--data", data + "," + second, "--cv", "3", "--synthetic", "10", "--hash-bits", "12");
        assertThat(two.code).as(two.err).isZero();
        assertThat(two.out).contains("d.csv (folds); always in training: 12 other rows, 19 synthetic",
                "e.txt (folds); always in training: 40 other rows, 19 synthetic");

        Run synth = run("", "train", "--data", data.toString(), "--out", dir.resolve("s.model").toString(), "--hash-bits", "12",
                "--synthetic", "10", "--features", "lexicon");
        assertThat(synth.code).as(synth.err).isZero();
        assertThat(synth.out).contains("trained on 59 rows (28 positive, 27 negative, 4 neutral), 19 of them synthetic, features lexicon")
                .containsPattern("sha256 [0-9a-f]{64}");

        Run score = run("味道很好\n饭都凉了\n", "score", "--model", model.toString());
        assertThat(score.out).startsWith("positive\t").contains("\nnegative\t");
    }

    @Test
    void shouldRefuseTrainingWhenDataHasOneClass() throws Exception {
        Path data = dir.resolve("d.txt");
        Files.writeString(data, "good\t1\ngreat\t1\n");
        Run r = run("", "train", "--data", data.toString(), "--out", dir.resolve("m").toString());
        assertThat(r.code).isEqualTo(2);
        assertThat(r.err).contains("only one class");
    }
}
