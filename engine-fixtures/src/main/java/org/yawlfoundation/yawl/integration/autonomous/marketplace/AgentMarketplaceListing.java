package org.yawlfoundation.yawl.integration.autonomous.marketplace;

import org.yawlfoundation.yawl.integration.autonomous.registry.AgentInfo;

import java.time.Duration;
import java.time.Instant;

/** Test fixture with the shape of the engine's listing record. */
public record AgentMarketplaceListing(AgentInfo agentInfo, AgentMarketplaceSpec spec, Instant registeredAt,
                                      Instant lastHeartbeatAt) {

    public boolean isLive(Duration staleness) {
        return lastHeartbeatAt.plus(staleness).isAfter(Instant.now());
    }

    public AgentMarketplaceListing withHeartbeat(Instant at) {
        return new AgentMarketplaceListing(agentInfo, spec, registeredAt, at);
    }

    public static AgentMarketplaceListing of(AgentInfo info, AgentMarketplaceSpec spec, Instant registeredAt,
                                             Instant lastHeartbeatAt) {
        return new AgentMarketplaceListing(info, spec, registeredAt, lastHeartbeatAt);
    }

    public static AgentMarketplaceListing publishNow(AgentInfo info, AgentMarketplaceSpec spec) {
        Instant now = Instant.now();
        return new AgentMarketplaceListing(info, spec, now, now);
    }
}
