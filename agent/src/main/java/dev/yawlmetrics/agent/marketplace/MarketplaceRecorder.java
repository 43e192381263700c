package dev.yawlmetrics.agent.marketplace;

import dev.yawlmetrics.agent.metrics.MetricsAgentHealth;
import dev.yawlmetrics.agent.config.InstrumentationName;
import dev.yawlmetrics.agent.metrics.Meters;

import java.util.Collection;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * What the inlined advice calls. Public and static because the advice code runs inside the
 * engine's class; every exception of ours stops here, every exception of the engine's passes
 * through untouched. Per-call paths take primitives and references only (no varargs, no tags, no
 * strings built), so they allocate nothing beyond what the meters themselves need.
 */
public final class MarketplaceRecorder {
    private MarketplaceRecorder() {}

    /** Bound by the module's install step, built on first use, unbound at detach (null then: nothing is recorded). */
    static final Meters<MarketplaceMetrics> METRICS = Meters.of(context -> new MarketplaceMetrics(context.registry()));

    static MarketplaceMetrics metrics() {
        return METRICS.get();
    }

    /** A query (by {@link MarketplaceQuery} ordinal, bound as a constant in its advice) returned or threw. */
    public static void queryFinished(int query, long startNanos) {
        long elapsed = System.nanoTime() - startNanos;
        try {
            if (!MarketplaceInstances.isRefreshing()) {
                MarketplaceMetrics m = METRICS.get();
                if (m != null) {
                    m.recordQuery(MarketplaceQuery.ALL[query], elapsed);
                }
            }
        } catch (Throwable t) {
            MetricsAgentHealth.recordingError(InstrumentationName.MARKETPLACE, t);
        }
    }

    /** {@code liveCount()} returned (thrown == null) or threw: a query, and a fresh live count. */
    public static void liveCountFinished(Object marketplace, long startNanos, long count, Throwable thrown) {
        long elapsed = System.nanoTime() - startNanos;
        try {
            if (!MarketplaceInstances.isRefreshing()) {
                MarketplaceMetrics m = METRICS.get();
                if (m != null) {
                    m.recordQuery(MarketplaceQuery.LIVE_COUNT, elapsed);
                    if (thrown == null) {
                        m.observeLiveCount(marketplace, count);
                    }
                }
            }
        } catch (Throwable t) {
            MetricsAgentHealth.recordingError(InstrumentationName.MARKETPLACE, t);
        }
    }

    /** {@code allLiveListings()} returned or threw: a query, and its size is a fresh live count. */
    public static void allLiveFinished(Object marketplace, long startNanos, Object result, Throwable thrown) {
        long elapsed = System.nanoTime() - startNanos;
        try {
            MarketplaceMetrics m = METRICS.get();
            if (m == null) {
                return;
            }
            m.recordQuery(MarketplaceQuery.ALL_LIVE, elapsed);
            if (thrown == null && result instanceof Collection) {
                m.observeLiveCount(marketplace, ((Collection<?>) result).size());
            }
        } catch (Throwable t) {
            MetricsAgentHealth.recordingError(InstrumentationName.MARKETPLACE, t);
        }
    }

    /** A marketplace was constructed: remember it (weakly) for the gauges. */
    public static void created(Object marketplace) {
        try {
            MarketplaceMetrics m = METRICS.get();
            if (m != null) {
                m.track(marketplace);
            }
        } catch (Throwable t) {
            MetricsAgentHealth.recordingError(InstrumentationName.MARKETPLACE, t);
        }
    }

    public static void publishFinished(Object marketplace, long startNanos, Throwable thrown) {
        long elapsed = System.nanoTime() - startNanos;
        try {
            MarketplaceMetrics m = METRICS.get();
            if (m == null) {
                return;
            }
            m.recordIndexSync(IndexOperation.PUBLISH, elapsed);
            m.countPublish(thrown == null);
            m.track(marketplace);
        } catch (Throwable t) {
            MetricsAgentHealth.recordingError(InstrumentationName.MARKETPLACE, t);
        }
    }

    public static void unpublishFinished(Object marketplace, long startNanos, Throwable thrown) {
        long elapsed = System.nanoTime() - startNanos;
        try {
            MarketplaceMetrics m = METRICS.get();
            if (m == null) {
                return;
            }
            m.recordIndexSync(IndexOperation.UNPUBLISH, elapsed);
            if (thrown == null) {
                m.countUnpublish();
            }
            m.track(marketplace);
        } catch (Throwable t) {
            MetricsAgentHealth.recordingError(InstrumentationName.MARKETPLACE, t);
        }
    }

    public static void heartbeatFinished(Object marketplace, long startNanos) {
        long elapsed = System.nanoTime() - startNanos;
        try {
            MarketplaceMetrics m = METRICS.get();
            if (m == null) {
                return;
            }
            m.recordIndexSync(IndexOperation.HEARTBEAT, elapsed);
            m.track(marketplace);
        } catch (Throwable t) {
            MetricsAgentHealth.recordingError(InstrumentationName.MARKETPLACE, t);
        }
    }

    /**
     * Replaces the {@code listings.computeIfPresent(id, fn)} call inside {@code heartbeat}: the
     * engine's own call runs unchanged (same arguments, same result, same exceptions); a non-null
     * result means a listing was found and updated (applied), null means the id had no listing
     * (the engine's silent no-op, counted as stale_check_fail).
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public static Object heartbeatComputeIfPresent(Map map, Object key, BiFunction remapping) {
        Object result = map.computeIfPresent(key, remapping);
        try {
            MarketplaceMetrics m = METRICS.get();
            if (m != null) {
                m.countHeartbeat(result != null);
            }
        } catch (Throwable t) {
            MetricsAgentHealth.recordingError(InstrumentationName.MARKETPLACE, t);
        }
        return result;
    }
}
