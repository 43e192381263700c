package dev.yawlmetrics.it.heartbeat;

import dev.yawlmetrics.fixtures.hosts.EtcdRegistryHost;
import dev.yawlmetrics.testsupport.AgentJvm;
import dev.yawlmetrics.testsupport.Scrape;

import java.time.Duration;
import java.util.function.Predicate;

/** Helpers shared by the heartbeat/etcd tests: a forked registry host and polling on /metrics. */
final class Registry {
    private Registry() {}

    static final String RENEWALS = "yawl_heartbeat_renewal_success_total";
    static final String TASKS = "yawl_heartbeat_executor_task_count_total";
    static final String LATENCY = "yawl_heartbeat_latency_ms";
    static final String LATENESS = "yawl_heartbeat_renewal_lateness_ms";
    static final String QUEUE = "yawl_heartbeat_executor_queue_depth";
    static final String ACTIVE = "yawl_heartbeat_executor_active_threads";
    static final String RECONNECTS = "yawl_agent_reconnect_count_total";
    static final String ETCD_LATENCY = "yawl_etcd_query_latency_ms";
    static final String ETCD_REQUESTS = "yawl_etcd_requests_total";

    /** A forked host whose fixture renews every periodMs (the engine's 10 s, shortened in the fixture). */
    static AgentJvm.Builder host(long periodMs) {
        return AgentJvm.builder(EtcdRegistryHost.class).sysProp("fixture.heartbeat.periodMs", Long.toString(periodMs));
    }

    static Scrape await(AgentJvm jvm, Duration timeout, String what, Predicate<Scrape> condition) throws Exception {
        return jvm.scrapeUntil(what, timeout, condition);
    }

    /**
     * After renewals were cancelled: waits until the counters stop moving (a running renewal
     * finished) and agree with each other: every renewal counted as a task has its outcome, its
     * latency and its etcd put recorded (they are recorded one after the other).
     */
    static Scrape settle(AgentJvm jvm) throws Exception {
        Scrape before = jvm.scrape();
        for (int i = 0; i < 50; i++) {
            Thread.sleep(300);
            Scrape after = jvm.scrape();
            double tasks = after.value(TASKS);
            if (tasks == before.value(TASKS)
                    && after.value(ETCD_LATENCY + "_count", "query_type", "heartbeat")
                    == before.value(ETCD_LATENCY + "_count", "query_type", "heartbeat")
                    && after.sum(RENEWALS) == tasks && after.value(LATENCY + "_count") == tasks) {
                return after;
            }
            before = after;
        }
        throw new AssertionError("renewals never stopped:\n" + before.text());
    }

    static double renewals(Scrape s, String outcome) {
        return s.value(RENEWALS, "outcome", outcome);
    }

    static double etcd(Scrape s, String queryType, String outcome) {
        return s.value(ETCD_REQUESTS, "query_type", queryType, "outcome", outcome);
    }
}
