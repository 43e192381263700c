package org.yawlfoundation.yawl.integration.autonomous.marketplace;

import java.time.Duration;

/** Test fixture: a transition-slot query that checks liveness itself. */
public record TransitionSlotQuery(String slot, Duration staleness) {
    public boolean matches(AgentMarketplaceListing listing) {
        return listing.isLive(staleness) && listing.spec().transitionSlots().contains(slot);
    }
}
