package dev.yawlmetrics.bench.fleet;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/** Every instrumented subsystem the fleet benchmarks drive: one line per target. */
public final class Populations {
    private Populations() {}

    static final List<Supplier<Population>> ALL = List.of(
            MarketplacePopulation::new,
            HeartbeatPopulation::new,
            LifecyclePopulation::new
            // TODO(httpclient): java.net.http.HttpClient sends to a loopback server.
    );

    public static List<Population> create() {
        List<Population> out = new ArrayList<>();
        for (Supplier<Population> s : ALL) {
            out.add(s.get());
        }
        return out;
    }

    /** Names of the populations, comma separated ("marketplace, heartbeat"); creating one starts nothing. */
    public static String names() {
        StringBuilder sb = new StringBuilder();
        for (Population p : create()) {
            sb.append(sb.length() == 0 ? "" : ", ").append(p.name());
        }
        return sb.toString();
    }
}
