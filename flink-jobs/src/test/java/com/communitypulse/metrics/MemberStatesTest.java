package com.communitypulse.metrics;

import static com.communitypulse.testutils.Instants.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/** The compact per-user value of {@link MemberActivityOperator}: lossless, and small enough for the state budget in docs/BENCHMARKS.md. */
class MemberStatesTest {

    /** A member counted in every window slot and every rolling set, as after a busy day. */
    private static MemberState busy(long at) {
        MemberState st = new MemberState();
        for (int s = 0; s < st.getSlots().length; s++) {
            st.markFirst(s, 29_000_000L + s);
            st.markFirst(s, 29_000_003L + s);
        }
        st.setLastActive(at);
        st.setLastSpeak(at - ONE_HOUR);
        st.setLastEvent(at);
        st.setLastPaid(at - ONE_DAY);
        st.setPrevPaid(at - 20 * ONE_DAY);
        st.setJoinDay(DAY_START);
        st.setRetained(5);
        st.setMember(true);
        for (int p = 0; p < MemberState.SETS; p++) {
            if (p != GaugeDelta.MEMBERS) st.getInSince()[p] = at + ONE_MINUTE - p;
            st.getPrevExit()[p] = p % 2 == 0 ? MemberState.NONE : at - p * ONE_DAY;
        }
        return st;
    }

    @Test
    void shouldReadBackEveryFieldWhenEncoded() {
        MemberStates s = new MemberStates();
        s.put("c1", busy(BEGINNING));
        s.put(MemberActivityOperator.GLOBAL, busy(BEGINNING + 7));
        MemberState empty = new MemberState(); // every time NONE, no slot counted, not a member
        s.put("c-empty", empty);
        MemberState odd = new MemberState();
        odd.getSlots()[0] = 5; // window index 0 with a mask: must not read back as "never counted"
        odd.setLastActive(-5 * ONE_DAY); // before 1970
        odd.setLastEvent(3);
        s.put("c-odd", odd);
        s.setNextTimer(BEGINNING + ONE_DAY);

        MemberStates back = MemberStates.decode(s.encode());

        assertThat(back.nextTimer()).isEqualTo(BEGINNING + ONE_DAY);
        assertThat(back.size()).isEqualTo(4);
        for (var en : s.entries()) {
            assertThat(back.get(en.getKey())).usingRecursiveComparison().isEqualTo(en.getValue());
        }
    }

    @Test
    void shouldKeepNoTimerWhenNoneIsRegistered() {
        MemberStates s = new MemberStates();
        s.put("c1", busy(BEGINNING));
        assertThat(MemberStates.decode(s.encode()).nextTimer()).isEqualTo(MemberStates.NO_TIMER);
    }

    @Test
    void shouldNameTheFixWhenFormatIsFromANewerRelease() {
        byte[] bytes = new MemberStates().encode();
        bytes[0] = 9;
        assertThatThrownBy(() -> MemberStates.decode(bytes)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("format 9").hasMessageContaining("newer community-pulse");
    }

    @Test
    void shouldStayUnderBudgetWhenMemberIsActiveInACommunityAndGlobally() throws Exception {
        MemberStates s = new MemberStates();
        s.put("c-0042", busy(BEGINNING));
        s.put(MemberActivityOperator.GLOBAL, busy(BEGINNING));
        s.setNextTimer(BEGINNING + ONE_DAY);
        int bytes = s.encode().length;

        TypeSerializer<MemberState> pojo = TypeInformation.of(MemberState.class).createSerializer(new SerializerConfigImpl());
        DataOutputSerializer out = new DataOutputSerializer(512);
        pojo.serialize(busy(BEGINNING), out);
        System.out.printf("member states of a busy member (community + global): %d bytes; one MemberState as a POJO: %d bytes%n",
                bytes, out.length());
        // The old layout needed 2 POJO values (plus map keys and a timer value); the budget is 300 bytes per member for everything.
        assertThat(bytes).isLessThan(out.length());
        assertThat(bytes).isLessThan(300);
    }
}
