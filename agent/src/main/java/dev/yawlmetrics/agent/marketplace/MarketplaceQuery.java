package dev.yawlmetrics.agent.marketplace;

/** The public queries of {@code AgentMarketplace} and the bounded {@code query} label each gets. */
public enum MarketplaceQuery {
    TRANSITION_SLOT("findForTransitionSlot", "transition_slot"),
    NAMESPACE("findByNamespace", "namespace"),
    MAX_COST("findByMaxCost", "max_cost"),
    MAX_LATENCY("findByMaxLatency", "max_latency"),
    WCP_PATTERN("findByWcpPattern", "wcp_pattern"),
    BY_ID("findById", "by_id"),
    ALL_LIVE("allLiveListings", "all_live"),
    LIVE_COUNT("liveCount", "live_count");

    final String methodName;
    final String label;

    MarketplaceQuery(String methodName, String label) {
        this.methodName = methodName;
        this.label = label;
    }

    public String label() {
        return label;
    }

    static String[] methodNames() {
        MarketplaceQuery[] all = values();
        String[] names = new String[all.length];
        for (int i = 0; i < all.length; i++) {
            names[i] = all[i].methodName;
        }
        return names;
    }

    /** Null for a method that is not a query (cannot happen for advised methods). */
    static MarketplaceQuery ofMethod(String method) {
        switch (method) {
            case "findForTransitionSlot": return TRANSITION_SLOT;
            case "findByNamespace": return NAMESPACE;
            case "findByMaxCost": return MAX_COST;
            case "findByMaxLatency": return MAX_LATENCY;
            case "findByWcpPattern": return WCP_PATTERN;
            case "findById": return BY_ID;
            case "allLiveListings": return ALL_LIVE;
            case "liveCount": return LIVE_COUNT;
            default: return null;
        }
    }
}
