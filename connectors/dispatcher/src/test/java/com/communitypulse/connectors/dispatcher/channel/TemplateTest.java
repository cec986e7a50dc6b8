package com.communitypulse.connectors.dispatcher.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TemplateTest {

    private static final Set<String> KNOWN = Set.of("a", "b", "list", "link");

    @Test
    void shouldReplacePlaceholdersAndKeepOtherText() {
        Template t = Template.parse("t", "x {{a}} y {{ b }} z\nno fields here", KNOWN);
        assertThat(t.render(Map.of("a", "1", "b", "二"))).isEqualTo("x 1 y 二 z\nno fields here");
        assertThat(t.fields()).containsExactly("a", "b");
    }

    @Test
    void shouldDropALineWhosePlaceholdersAreAllEmptyButKeepPartlyFilledAndStaticLines() {
        Template t = Template.parse("t", "head\n> Member: {{a}}\n{{a}}{{b}} tail\n\n{{link}}\n", KNOWN);
        assertThat(t.render(Map.of("b", "B"))).isEqualTo("head\nB tail");
        assertThat(t.render(Map.of("a", "A", "b", "", "link", "L"))).isEqualTo("head\n> Member: A\nA tail\n\nL");
    }

    @Test
    void shouldRepeatTheLineStartForEachLineOfAMultiLineValue() {
        Template t = Template.parse("t", "> {{list}}\n- x: {{a}}", KNOWN);
        assertThat(t.render(Map.of("list", "one\ntwo\nthree", "a", "p\nq"))).isEqualTo("> one\n> two\n> three\n- x: p\n- x: q");
    }

    @Test
    void shouldEscapeValuesButNotRawFieldsNorTheTemplateItself() {
        Template t = Template.parse("t", "*<{{a}}>* {{link}}", KNOWN);
        assertThat(t.render(Map.of("a", "x<y", "link", "<@U1>"), v -> v.replace("<", "&lt;"), Set.of("link")))
                .isEqualTo("*<x&lt;y>* <@U1>");
    }

    @Test
    void shouldRejectAnUnknownFieldNamingTheTemplate() {
        assertThatThrownBy(() -> Template.parse("my.md", "{{a}} {{nope}}", KNOWN))
                .hasMessageStartingWith("template my.md uses unknown field {{nope}}: use one of");
    }

    @Test
    void everyBuiltInTemplateParsesWithTheKnownFields() {
        for (String type : new String[] {"wecom", "dingtalk", "slack", "feishu"}) {
            for (Lang l : Lang.values()) {
                Presentation p = Presentation.of(type, l, java.time.ZoneOffset.UTC, null, null, null, null);
                assertThat(p.template().fields()).contains("severity", "headline", "community", "member", "why", "time", "mentions");
            }
        }
    }
}
