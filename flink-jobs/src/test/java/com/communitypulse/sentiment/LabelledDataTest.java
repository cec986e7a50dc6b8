package com.communitypulse.sentiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LabelledDataTest {

    @TempDir
    Path dir;

    private Path write(String name, String content) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, content, StandardCharsets.UTF_8);
        return p;
    }

    @Test
    void shouldParseQuotedFieldsWhenCsvHasCommasQuotesAndNewlines() throws Exception {
        Path f = write("d.csv", "label,review\n1,很快，好吃\n0,\"送餐慢,\"\"差评\"\"\n第二行\"\r\n1,ok\n");
        List<LabelledData.Example> rows = LabelledData.read(f);
        assertThat(rows).hasSize(3);
        assertThat(rows.get(1).text).isEqualTo("送餐慢,\"差评\"\n第二行");
        assertThat(rows.get(1).positive).isFalse();
        assertThat(rows.get(2).positive).isTrue();
    }

    @Test
    void shouldFindColumnsByNameWhenHeaderOrderDiffers() throws Exception {
        List<LabelledData.Example> rows = LabelledData.read(write("d.csv", "text,label\ngreat,positive\nbad,negative\n"));
        assertThat(rows).extracting(r -> r.text).containsExactly("great", "bad");
        assertThat(rows).extracting(r -> r.positive).containsExactly(true, false);
    }

    @Test
    void shouldParseTabSeparatedLinesWhenLabelIsLastField() throws Exception {
        List<LabelledData.Example> rows = LabelledData.read(write("d.txt", "Loved it.\t1\nCrust is not good.\t0\n\n"));
        assertThat(rows).hasSize(2);
        assertThat(rows.get(1).text).isEqualTo("Crust is not good.");
    }

    @Test
    void shouldNameFileAndLineWhenLabelIsInvalid() throws Exception {
        Path f = write("d.txt", "fine\t1\nmeh\tmaybe\n");
        assertThatThrownBy(() -> LabelledData.read(f))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("line 2")
                .hasMessageContaining("maybe");
    }

    @Test
    void shouldSayHowToFixWhenFileIsMissing() {
        assertThatThrownBy(() -> LabelledData.read(dir.resolve("nope.csv")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("does not exist");
    }
}
