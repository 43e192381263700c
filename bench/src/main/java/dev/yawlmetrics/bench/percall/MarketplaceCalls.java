package dev.yawlmetrics.bench.percall;

import dev.yawlmetrics.bench.fleet.MarketplacePopulation;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Setup;
import org.yawlfoundation.yawl.integration.autonomous.marketplace.AgentMarketplace;
import org.yawlfoundation.yawl.integration.autonomous.marketplace.TransitionSlotQuery;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Each public AgentMarketplace query on a one-listing marketplace: the query itself is cheap, so
 * the agent's added time (two clock reads, one histogram record) is not lost in the query's own noise.
 */
@org.openjdk.jmh.annotations.State(org.openjdk.jmh.annotations.Scope.Thread)
public class MarketplaceCalls extends InstrumentedCall {
    private AgentMarketplace market;
    private TransitionSlotQuery slot;
    private final Duration staleness = Duration.ofMinutes(5);

    @Setup
    public void setUp() {
        MarketplacePopulation p = new MarketplacePopulation();
        p.populate(1);
        market = p.market();
        slot = new TransitionSlotQuery("slot-a", staleness);
    }

    @Override
    protected String recordedSeries(String method) {
        String label = switch (method) {
            case "findForTransitionSlot" -> "transition_slot";
            case "findByNamespace" -> "namespace";
            case "findByMaxCost" -> "max_cost";
            case "findByMaxLatency" -> "max_latency";
            case "findByWcpPattern" -> "wcp_pattern";
            case "findById" -> "by_id";
            case "allLiveListings" -> "all_live";
            case "liveCount" -> "live_count";
            default -> throw new IllegalArgumentException(method);
        };
        return "yawl_marketplace_query_latency_ms_count{query=\"" + label + "\"}";
    }

    @Benchmark
    public List<?> findForTransitionSlot() {
        return market.findForTransitionSlot(slot);
    }

    @Benchmark
    public List<?> findByNamespace() {
        return market.findByNamespace("ns");
    }

    @Benchmark
    public List<?> findByMaxCost() {
        return market.findByMaxCost(1.0);
    }

    @Benchmark
    public List<?> findByMaxLatency() {
        return market.findByMaxLatency(100);
    }

    @Benchmark
    public List<?> findByWcpPattern() {
        return market.findByWcpPattern("WCP-1");
    }

    @Benchmark
    public Optional<?> findById() {
        return market.findById("agent-0", staleness);
    }

    @Benchmark
    public List<?> allLiveListings() {
        return market.allLiveListings();
    }

    @Benchmark
    public long liveCount() {
        return market.liveCount();
    }
}
