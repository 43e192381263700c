package dev.yawlmetrics.bench.fleet;

import org.yawlfoundation.yawl.integration.autonomous.marketplace.AgentMarketplace;
import org.yawlfoundation.yawl.integration.autonomous.marketplace.AgentMarketplaceListing;
import org.yawlfoundation.yawl.integration.autonomous.marketplace.AgentMarketplaceSpec;
import org.yawlfoundation.yawl.integration.autonomous.marketplace.TransitionSlotQuery;
import org.yawlfoundation.yawl.integration.autonomous.registry.AgentInfo;

import java.time.Duration;
import java.util.List;
import java.util.Set;

/** n agents published in one AgentMarketplace; every public query type run once per exercise. */
public final class MarketplacePopulation implements Population {
    private final AgentMarketplace market = new AgentMarketplace();

    @Override
    public String name() {
        return "marketplace";
    }

    @Override
    public String[] instrumentedClasses() {
        return new String[] {AgentMarketplace.class.getName()};
    }

    public static AgentMarketplaceListing listing(String id) {
        return AgentMarketplaceListing.publishNow(new AgentInfo(id, id, List.of("cap"), "localhost", 8080),
                new AgentMarketplaceSpec("ns", 0.5, 50, Set.of("WCP-1"), Set.of("slot-a")));
    }

    @Override
    public void populate(int n) {
        for (int i = 0; i < n; i++) {
            market.publish(listing("agent-" + i));
        }
    }

    @Override
    public void exercise() {
        market.findForTransitionSlot(new TransitionSlotQuery("slot-a", Duration.ofMinutes(5)));
        market.findByNamespace("ns");
        market.findByMaxCost(1.0);
        market.findByMaxLatency(100);
        market.findByWcpPattern("WCP-1");
        market.findById("agent-0", Duration.ofMinutes(5));
        market.allLiveListings();
        market.liveCount();
    }

    public AgentMarketplace market() {
        return market;
    }
}
