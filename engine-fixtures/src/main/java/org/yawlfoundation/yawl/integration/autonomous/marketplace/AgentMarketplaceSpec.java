package org.yawlfoundation.yawl.integration.autonomous.marketplace;

import java.util.Set;

/** Test fixture: what an agent offers on the marketplace. */
public record AgentMarketplaceSpec(String namespace, double costPerCall, long p95LatencyMs, Set<String> wcpPatterns,
                                   Set<String> transitionSlots) {
}
