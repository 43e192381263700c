package org.yawlfoundation.yawl.integration.autonomous.marketplace;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Test fixture with the shape of the engine's newer AgentMarketplace (liveness index version):
 * same FQCN, members and descriptors; written for these tests from the shapes description.
 */
public final class AgentMarketplace {
    static final Duration DEFAULT_STALENESS = Duration.ofMinutes(5);

    private final ConcurrentHashMap<String, AgentMarketplaceListing> listings = new ConcurrentHashMap<>();
    private final ConcurrentHashMap.KeySetView<String, Boolean> liveAgentIds = ConcurrentHashMap.newKeySet();

    public void publish(AgentMarketplaceListing listing) {
        Objects.requireNonNull(listing, "listing");
        String id = listing.agentInfo().getId();
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("agent id must not be blank");
        }
        listings.put(id, listing);
        liveAgentIds.add(id);
    }

    public void unpublish(String agentId) {
        listings.remove(agentId);
        liveAgentIds.remove(agentId);
    }

    /** An unknown id is a silent no-op. The lambda touches the index, so it is an instance method. */
    public void heartbeat(String agentId, Instant at) {
        listings.computeIfPresent(agentId, (id, l) -> {
            liveAgentIds.add(id);
            return l.withHeartbeat(at);
        });
    }

    public List<AgentMarketplaceListing> findForTransitionSlot(TransitionSlotQuery query) {
        Objects.requireNonNull(query, "query");
        return listings.values().stream().filter(query::matches).toList();
    }

    public List<AgentMarketplaceListing> findByNamespace(String namespace) {
        Objects.requireNonNull(namespace, "namespace");
        return liveListings().filter(l -> namespace.equals(l.spec().namespace())).toList();
    }

    public List<AgentMarketplaceListing> findByMaxCost(double maxCost) {
        return liveListings().filter(l -> l.spec().costPerCall() <= maxCost).toList();
    }

    public List<AgentMarketplaceListing> findByMaxLatency(long maxLatencyMs) {
        return liveListings().filter(l -> l.spec().p95LatencyMs() <= maxLatencyMs).toList();
    }

    public List<AgentMarketplaceListing> findByWcpPattern(String pattern) {
        Objects.requireNonNull(pattern, "pattern");
        return liveListings().filter(l -> l.spec().wcpPatterns().contains(pattern)).toList();
    }

    public Optional<AgentMarketplaceListing> findById(String agentId, Duration staleness) {
        AgentMarketplaceListing l = listings.get(agentId);
        return l != null && l.isLive(staleness) ? Optional.of(l) : Optional.empty();
    }

    public List<AgentMarketplaceListing> allLiveListings() {
        return liveListings().toList();
    }

    public long liveCount() {
        return liveListings().count();
    }

    public int size() {
        return listings.size();
    }

    private Stream<AgentMarketplaceListing> liveListings() {
        return liveAgentIds.stream().map(listings::get).filter(Objects::nonNull)
                .filter(l -> l.isLive(DEFAULT_STALENESS));
    }
}
