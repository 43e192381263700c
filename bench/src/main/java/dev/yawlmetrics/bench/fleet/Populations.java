package dev.yawlmetrics.bench.fleet;

import java.util.ArrayList;
import java.util.List;

/**
 * Every instrumented subsystem the benchmarks drive. Populations compiled on every branch are
 * listed in {@link #ALWAYS}; those whose fixture lands later (compiled from src/<target>/java by a
 * profile in bench/pom.xml) are found by class name in {@link #OPTIONAL} and used when present.
 */
public final class Populations {
    private Populations() {}

    static final List<String> ALWAYS = List.of(
            "dev.yawlmetrics.bench.fleet.MarketplacePopulation");

    static final List<String> OPTIONAL = List.of(
            "dev.yawlmetrics.bench.fleet.HeartbeatPopulation"
            // TODO(lifecycle): GenericPartyAgent instances (constructor, start/stop transitions, discovery cycles).
            // TODO(httpclient): java.net.http.HttpClient sends to a loopback server.
    );

    public static List<Population> create() {
        List<Population> out = new ArrayList<>();
        for (String name : ALWAYS) {
            out.add(instantiate(load(name)));
        }
        for (String name : OPTIONAL) {
            Class<?> c;
            try {
                c = load(name);
            } catch (IllegalStateException notCompiled) {
                continue;
            }
            out.add(instantiate(c));
        }
        return out;
    }

    private static Class<?> load(String name) {
        try {
            return Class.forName(name);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(name + " not compiled in", e);
        }
    }

    private static Population instantiate(Class<?> c) {
        try {
            return (Population) c.getConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot create " + c.getName(), e);
        }
    }

    /** Names of the populations compiled into this build ("marketplace, heartbeat"), without creating any. */
    public static String names() {
        List<String> all = new ArrayList<>(ALWAYS);
        all.addAll(OPTIONAL);
        StringBuilder sb = new StringBuilder();
        for (String name : all) {
            try {
                load(name);
            } catch (IllegalStateException notCompiled) {
                continue;
            }
            String simple = name.substring(name.lastIndexOf('.') + 1).replace("Population", "");
            sb.append(sb.length() == 0 ? "" : ", ").append(simple.toLowerCase(java.util.Locale.ROOT));
        }
        return sb.toString();
    }
}
