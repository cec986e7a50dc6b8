package com.communitypulse.metrics;

import java.util.HashMap;
import java.util.Map;

/** Replies and reactions received per member during one day of one community. */
public class ContributorCounts {
    private Map<String, Long> received = new HashMap<>();

    public ContributorCounts() {}

    public Map<String, Long> getReceived() { return received; }
    public void setReceived(Map<String, Long> received) { this.received = received; }
}
