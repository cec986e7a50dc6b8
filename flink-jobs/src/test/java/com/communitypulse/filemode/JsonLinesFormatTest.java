package com.communitypulse.filemode;

import static com.communitypulse.testutils.Instants.BEGINNING;
import static org.assertj.core.api.Assertions.assertThat;

import com.communitypulse.events.EventParser;
import com.communitypulse.events.EventType;
import com.communitypulse.events.ParsedRecord;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.reader.StreamFormat;
import org.apache.flink.core.fs.local.LocalDataInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonLinesFormatTest {

    private static String message(String id) {
        return "{\"event_id\":\"" + id + "\",\"community_id\":\"c1\",\"user_id\":\"u1\",\"ts\":" + BEGINNING + ",\"kind\":\"post\",\"text\":\"x\"}";
    }

    @Test
    void shouldNumberDeadLettersByLineFromOneAsEditorsDoWhenBlankAndCrlfLinesAreMixedIn(@TempDir Path dir) throws Exception {
        // Line 1 ok, line 2 blank, line 3 broken, line 4 ok with CRLF, line 5 broken, no trailing newline.
        String content = message("e1") + "\n\n{broken\n" + message("e2") + "\r\nnot json";
        File f = dir.resolve("messages.jsonl").toFile();
        Files.writeString(f.toPath(), content, StandardCharsets.UTF_8);

        List<ParsedRecord> read = new ArrayList<>();
        JsonLinesFormat format = new JsonLinesFormat(EventType.MESSAGE, "pulse.messages", new EventParser());
        try (StreamFormat.Reader<ParsedRecord> reader = format.createReader(new Configuration(), new LocalDataInputStream(f))) {
            ParsedRecord r;
            while ((r = reader.read()) != null) {
                read.add(r);
            }
        }

        assertThat(read).hasSize(4);
        assertThat(read.get(0).isEvent()).isTrue();
        assertThat(read.get(1).getDeadLetter().getOffset()).isEqualTo(3);
        assertThat(read.get(2).isEvent()).isTrue();
        assertThat(read.get(3).getDeadLetter().getOffset()).isEqualTo(5);
        // The offset must point at the line sed -n prints for it.
        String[] lines = content.split("\n", -1);
        assertThat(lines[(int) read.get(1).getDeadLetter().getOffset() - 1]).isEqualTo("{broken");
        assertThat(read.get(3).getDeadLetter().getSourceTopic()).isEqualTo("pulse.messages");
    }
}
