package dev.yawlmetrics.bench.fleet;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/** Every instrumented subsystem the benchmarks drive. One line per target. */
public final class Populations {
    private Populations() {}

    static final List<Supplier<Population>> ALL = List.of(
            MarketplacePopulation::new
            // TODO(heartbeat): EtcdAgentRegistryClient registrations renewing against a fake/real etcd.
            // TODO(lifecycle): GenericPartyAgent instances moving through lifecycle.set and discovery cycles.
            // TODO(httpclient): java.net.http.HttpClient sends to a loopback server.
    );

    public static List<Population> create() {
        List<Population> out = new ArrayList<>();
        for (Supplier<Population> s : ALL) {
            out.add(s.get());
        }
        return out;
    }

    public static String names() {
        StringBuilder sb = new StringBuilder();
        for (Population p : create()) {
            sb.append(sb.length() == 0 ? "" : ", ").append(p.name());
        }
        return sb.toString();
    }
}
