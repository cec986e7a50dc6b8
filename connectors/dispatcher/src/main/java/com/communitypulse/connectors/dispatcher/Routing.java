package com.communitypulse.connectors.dispatcher;

import com.communitypulse.connectors.dispatcher.config.DispatcherConfig;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which channels receive an alert. A community with its own rules uses only those; any other
 * community uses the default rules. A rule matches when its type list is empty or contains the
 * alert's type and the alert's severity is at least the rule's minimum.
 */
final class Routing {

    private record Rule(String channel, Set<String> types, int minSeverity) {
        boolean matches(Alert a) {
            return (types.isEmpty() || types.contains(a.type())) && a.severityRank() >= minSeverity;
        }
    }

    private final List<Rule> defaults;
    private final Map<String, List<Rule>> communities;

    Routing(DispatcherConfig.Routes routes) {
        this.defaults = rules(routes.defaults);
        this.communities = new java.util.HashMap<>();
        routes.communities.forEach((c, r) -> communities.put(c, rules(r)));
    }

    /** Distinct channel names in rule order. */
    List<String> channelsFor(Alert a) {
        Set<String> out = new LinkedHashSet<>();
        for (Rule r : communities.getOrDefault(a.communityId(), defaults)) {
            if (r.matches(a)) {
                out.add(r.channel());
            }
        }
        return new ArrayList<>(out);
    }

    private static List<Rule> rules(List<DispatcherConfig.Rule> cfg) {
        List<Rule> out = new ArrayList<>();
        for (DispatcherConfig.Rule r : cfg) {
            out.add(new Rule(r.channel, Set.copyOf(r.types == null ? List.of() : r.types), Alert.SEVERITIES.indexOf(r.minSeverity)));
        }
        return out;
    }
}
