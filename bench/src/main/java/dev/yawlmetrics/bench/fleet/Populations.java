package dev.yawlmetrics.bench.fleet;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/** Every instrumented subsystem the fleet benchmarks drive: one line per target. */
public final class Populations {
    private Populations() {}

    public static final String ONLY_PROPERTY = "bench.populations";

    static final List<Supplier<Population>> ALL = List.of(
            MarketplacePopulation::new,
            HeartbeatPopulation::new,
            LifecyclePopulation::new
            // TODO(httpclient): java.net.http.HttpClient sends to a loopback server.
    );

    /**
     * One of each population, or only those named in {@code -Dbench.populations} (comma separated,
     * e.g. "heartbeat": the fleet-scale step drives the heartbeat population alone at 1M agents).
     */
    public static List<Population> create() {
        String only = System.getProperty(ONLY_PROPERTY, "");
        List<String> wanted = only.isBlank() ? List.of() : List.of(only.split(","));
        List<Population> out = new ArrayList<>();
        for (Supplier<Population> s : ALL) {
            Population p = s.get();
            if (wanted.isEmpty() || wanted.contains(p.name())) {
                out.add(p);
            }
        }
        if (!wanted.isEmpty() && out.size() != wanted.size()) {
            throw new IllegalArgumentException("-D" + ONLY_PROPERTY + "=" + only + ": unknown population name among " + wanted);
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
