package com.communitypulse.job;

import com.communitypulse.events.EventKind;
import com.communitypulse.events.PulseEvent;
import org.apache.flink.api.common.functions.FilterFunction;

/** Replies and reactions addressed to another member: what that member received (top contributor test of the lifecycle). */
public final class ReceivedEngagementFilter implements FilterFunction<PulseEvent> {
    private static final long serialVersionUID = 1L;

    @Override
    public boolean filter(PulseEvent e) {
        return (e.getKind() == EventKind.REPLY || e.getKind() == EventKind.REACTION) && e.getReplyToUser() != null
                && e.getCommunityId() != null && !e.getReplyToUser().equals(e.getUserId());
    }
}
