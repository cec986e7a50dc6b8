package com.communitypulse.metrics;

import static com.communitypulse.testutils.Instants.*;
import static org.assertj.core.api.Assertions.assertThat;

import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/**
 * The serialized size of the per-member state RocksDB stores for each member and community (plus
 * one for the global total): the state budget of issue 9 is 300 bytes per member.
 */
class MemberStateSizeTest {
    @Test
    void shouldStayWellUnderBudgetWhenMemberIsActiveEverywhere() throws Exception {
        MemberState st = new MemberState();
        for (int s = 0; s < st.getSlots().length; s++) {
            st.markFirst(s, 29_000_000L + s);
        }
        st.setLastActive(BEGINNING);
        st.setLastSpeak(BEGINNING);
        st.setLastEvent(BEGINNING);
        st.setLastPaid(BEGINNING);
        st.setPrevPaid(BEGINNING - ONE_DAY);
        st.setJoinDay(DAY_START);
        st.setMember(true);
        for (int p = 0; p < MemberState.SETS; p++) {
            if (p != GaugeDelta.MEMBERS) st.getInSince()[p] = BEGINNING;
        }
        TypeSerializer<MemberState> ser = TypeInformation.of(MemberState.class).createSerializer(new SerializerConfigImpl());
        DataOutputSerializer out = new DataOutputSerializer(512);
        ser.serialize(st, out);
        int bytes = out.length();
        System.out.println("MemberState serialized: " + bytes + " bytes");
        assertThat(bytes).isLessThan(300);
    }
}
