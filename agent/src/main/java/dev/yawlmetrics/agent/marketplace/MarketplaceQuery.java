package dev.yawlmetrics.agent.marketplace;

/**
 * The public queries of {@code AgentMarketplace}, the bounded {@code query} label each gets, and
 * whether the query consumes the private lazy {@code liveListings()} stream (the liveness filter).
 * Per yawl-targets.md §2, in both known versions: findByNamespace, findByMaxCost,
 * findByMaxLatency, findByWcpPattern, allLiveListings and liveCount go through it;
 * findForTransitionSlot (TransitionSlotQuery.matches checks liveness) and findById do not.
 */
public enum MarketplaceQuery {
    TRANSITION_SLOT("findForTransitionSlot", "transition_slot", false),
    NAMESPACE("findByNamespace", "namespace", true),
    MAX_COST("findByMaxCost", "max_cost", true),
    MAX_LATENCY("findByMaxLatency", "max_latency", true),
    WCP_PATTERN("findByWcpPattern", "wcp_pattern", true),
    BY_ID("findById", "by_id", false),
    ALL_LIVE("allLiveListings", "all_live", true),
    LIVE_COUNT("liveCount", "live_count", true);

    /** values() clones its array on every call; the hot path indexes this copy instead. */
    static final MarketplaceQuery[] ALL = values();

    final String methodName;
    final String label;
    final boolean consumesLivenessFilter;

    MarketplaceQuery(String methodName, String label, boolean consumesLivenessFilter) {
        this.methodName = methodName;
        this.label = label;
        this.consumesLivenessFilter = consumesLivenessFilter;
    }

    public String label() {
        return label;
    }

    public String methodName() {
        return methodName;
    }

    public boolean consumesLivenessFilter() {
        return consumesLivenessFilter;
    }
}
