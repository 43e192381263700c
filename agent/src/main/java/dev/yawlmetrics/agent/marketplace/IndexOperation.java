package dev.yawlmetrics.agent.marketplace;

/** The index-maintaining calls of {@code AgentMarketplace}: the {@code operation} label of index_sync_time_ms. */
public enum IndexOperation {
    PUBLISH("publish"),
    UNPUBLISH("unpublish"),
    HEARTBEAT("heartbeat");

    static final IndexOperation[] ALL = values();

    final String label;

    IndexOperation(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
