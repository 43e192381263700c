package dev.yawlmetrics.agent.marketplace;

import java.lang.ref.WeakReference;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The {@code AgentMarketplace} instances seen so far, held only through {@link WeakReference}s
 * (a marketplace the engine drops is collected; its contribution to the gauges disappears), and
 * what the gauges read from them.
 *
 * <p>Live count freshness: the engine's own {@code liveCount()} and {@code allLiveListings()}
 * results are recorded here as they return (a volatile write, no scan). A scrape that finds an
 * instance whose last observation is older than {@link #DEFAULT_REFRESH_NANOS} calls that
 * instance's public {@code liveCount()} once on the scrape thread (so at most one engine scan per
 * instance per refresh period, never one per scrape); such refresh calls are excluded from the
 * query metrics. Hence the gauge is at most {@code refresh period} old when it is read.
 */
final class MarketplaceInstances {
    /** How old the last live count may be before a scrape refreshes it: 30 s. */
    static final long DEFAULT_REFRESH_NANOS = TimeUnit.SECONDS.toNanos(30);

    /** The thread currently calling liveCount() for a refresh; its calls are not engine queries. */
    private static volatile Thread refreshingThread;

    static boolean isRefreshing() {
        return refreshingThread == Thread.currentThread();
    }

    /** Reflective access per class (both versions may even be loaded by different loaders). */
    private static final ClassValue<Accessors> ACCESSORS = new ClassValue<Accessors>() {
        @Override
        protected Accessors computeValue(Class<?> type) {
            return new Accessors(type);
        }
    };

    static final class Accessors {
        final Method size;
        final Method liveCount;
        /** The newer version's {@code liveAgentIds}; null in the older version. */
        final Field index;

        Accessors(Class<?> type) {
            size = publicMethod(type, "size");
            liveCount = publicMethod(type, "liveCount");
            Field f = null;
            try {
                f = type.getDeclaredField("liveAgentIds");
                f.setAccessible(true);
            } catch (Throwable ignored) {
                f = null;
            }
            index = f;
        }

        private static Method publicMethod(Class<?> type, String name) {
            try {
                return type.getMethod(name);
            } catch (Throwable t) {
                return null;
            }
        }
    }

    static final class Instance {
        final WeakReference<Object> ref;
        final Accessors accessors;
        volatile long live = -1;
        volatile long liveObservedAtNanos;

        Instance(Object marketplace) {
            this.ref = new WeakReference<>(marketplace);
            this.accessors = ACCESSORS.get(marketplace.getClass());
        }

        void observeLive(long liveCount, MarketplaceInstances owner) {
            live = liveCount;
            liveObservedAtNanos = owner.nanoClock.getAsLong();
        }
    }

    private final LongSupplier nanoClock;
    private final long refreshNanos;
    private volatile Instance[] instances = new Instance[0];

    MarketplaceInstances() {
        this(System::nanoTime, DEFAULT_REFRESH_NANOS);
    }

    MarketplaceInstances(LongSupplier nanoClock, long refreshNanos) {
        this.nanoClock = nanoClock;
        this.refreshNanos = refreshNanos;
    }

    /** Finds or adds the entry for a marketplace; allocation-free once the instance is known. */
    Instance track(Object marketplace) {
        Instance[] all = instances;
        for (Instance i : all) {
            if (i.ref.get() == marketplace) {
                return i;
            }
        }
        return add(marketplace);
    }

    private synchronized Instance add(Object marketplace) {
        for (Instance i : instances) {
            if (i.ref.get() == marketplace) {
                return i;
            }
        }
        List<Instance> kept = alive();
        Instance added = new Instance(marketplace);
        kept.add(added);
        instances = kept.toArray(new Instance[0]);
        return added;
    }

    private List<Instance> alive() {
        List<Instance> kept = new ArrayList<>();
        for (Instance i : instances) {
            if (i.ref.get() != null) {
                kept.add(i);
            }
        }
        return kept;
    }

    /** A live count the engine itself just computed. */
    void observeLive(Object marketplace, long liveCount) {
        track(marketplace).observeLive(liveCount, this);
    }

    int trackedCount() {
        return alive().size();
    }

    /** Sum of {@code size()} over the marketplaces still alive (O(1) each). */
    double listings() {
        long sum = 0;
        for (Instance i : instances) {
            Object m = i.ref.get();
            if (m != null && i.accessors.size != null) {
                sum += ((Number) invoke(i.accessors.size, m)).longValue();
            }
        }
        return sum;
    }

    /** Sum of the liveness index sizes (O(1) each); NaN when no tracked marketplace has an index. */
    double livenessIndexSize() {
        long sum = 0;
        boolean any = false;
        for (Instance i : instances) {
            Object m = i.ref.get();
            if (m != null && i.accessors.index != null) {
                Object set = get(i.accessors.index, m);
                if (set instanceof Collection) {
                    sum += ((Collection<?>) set).size();
                    any = true;
                }
            }
        }
        return any ? sum : Double.NaN;
    }

    /** Sum of the last live counts, refreshing (one liveCount() call) any older than the refresh period. */
    synchronized double liveAgents() {
        long sum = 0;
        long now = nanoClock.getAsLong();
        for (Instance i : instances) {
            Object m = i.ref.get();
            if (m == null) {
                continue;
            }
            if (i.live < 0 || now - i.liveObservedAtNanos > refreshNanos) {
                refresh(i, m);
            }
            if (i.live >= 0) {
                sum += i.live;
            }
        }
        return sum;
    }

    private void refresh(Instance i, Object marketplace) {
        Method liveCount = i.accessors.liveCount;
        if (liveCount == null) {
            return;
        }
        refreshingThread = Thread.currentThread();
        try {
            long n = ((Number) invoke(liveCount, marketplace)).longValue();
            i.live = n;
            i.liveObservedAtNanos = nanoClock.getAsLong();
        } finally {
            refreshingThread = null;
        }
    }

    private static Object invoke(Method m, Object target) {
        try {
            return m.invoke(target);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot call " + m.getName() + " on " + target.getClass().getName(), e);
        }
    }

    private static Object get(Field f, Object target) {
        try {
            return f.get(target);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot read " + f.getName(), e);
        }
    }
}
