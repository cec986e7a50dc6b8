package com.communitypulse.bench;

import com.communitypulse.sentiment.SentimentScorer;
import com.communitypulse.sentiment.SentimentScorers;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Messages per second per core for each sentiment scorer on mixed Chinese/English chat text. One
 * benchmark thread, one operation = one message, so the reported ops/s is msg/s per core.
 *
 * <h2>How to run</h2>
 *
 * <pre>
 * mvn -q -pl benchmarks -am package -DskipTests
 * java -jar benchmarks/target/benchmarks.jar SentimentScorerBenchmark -f 1 -wi 2 -i 3
 * </pre>
 *
 * {@code bundled} is what the job, the demo and {@code pulse sentiment score} use without options: the
 * lexicon pass plus the bundled model's 2^18 hashed weights (1 MiB, so memory access costs are real).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
@Fork(1)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
public class SentimentScorerBenchmark {

    /** Typical group-chat lines: short, mixed scripts, emoji, repeated punctuation (labels kept for reference). */
    private static final String[][] CHAT = {
        {"很好吃，送餐也快，下次还点👍", "1"},
        {"送了两个小时才到，饭都凉了，差评！！！", "0"},
        {"The food was cold and the driver was rude", "0"},
        {"loved it, super fresh and the delivery was fast :)", "1"},
        {"这个团购的水果不太新鲜，有点失望", "0"},
        {"群主推荐的这款面膜真的不错，已经回购了", "1"},
        {"我的快递呢？？？三天了还没到", "0"},
        {"not bad, but a bit overpriced", "0"},
        {"客服态度很好，退款很快，谢谢", "1"},
        {"这是假货吧，和图片完全不一样，骗子", "0"},
        {"明天几点开团？", "1"},
        {"Amazing deal!!! thanks everyone 😍", "1"},
        {"虽然有点贵，但是质量非常好", "1"},
        {"worst customer service ever, want my money back", "0"},
        {"包装破损，东西洒了一半😡", "0"},
        {"ok 收到了", "1"},
        {"味道一般，分量太少了", "0"},
        {"highly recommend this seller, shipped quickly", "1"},
        {"大家觉得这个锅怎么样", "1"},
        {"质量太差了 never buying again", "0"},
        {"宝贝收到了，和描述一致，很满意～", "1"},
        {"waited 40 minutes and they forgot half the order", "0"},
        {"哈哈哈哈笑死我了", "1"},
        {"别买，用了两天就坏了，客服也不理人", "0"},
    };

    private static final int MESSAGES_PER_CALL = 24;

    /** {@code bundled}: the default scorer (lexicon + bundled model); {@code lexicon}: the lexicon alone. */
    @Param({"bundled", "lexicon"})
    public String scorerKind;

    private SentimentScorer scorer;
    private String[] messages;

    @Setup
    public void setUp() {
        if (CHAT.length != MESSAGES_PER_CALL) {
            throw new IllegalStateException("keep MESSAGES_PER_CALL equal to the number of chat lines");
        }
        messages = new String[CHAT.length];
        for (int i = 0; i < CHAT.length; i++) {
            messages[i] = CHAT[i][0];
        }
        scorer = SentimentScorers.create(scorerKind.equals("lexicon") ? SentimentScorers.LEXICON : null);
    }

    @Benchmark
    @OperationsPerInvocation(MESSAGES_PER_CALL)
    public void scoreMixedChat(Blackhole bh) {
        for (String m : messages) {
            bh.consume(scorer.score(m, null));
        }
    }
}
