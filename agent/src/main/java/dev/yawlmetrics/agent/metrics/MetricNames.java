package dev.yawlmetrics.agent.metrics;

/**
 * The one place that owns metric names. Names are Micrometer names (dots); the comment beside
 * each is what Prometheus sees, which is what rules and dashboards use. Micrometer's Prometheus
 * registry appends {@code _total} to counters and strips suffixes reserved by OpenMetrics
 * ({@code created}, {@code info}, {@code total}, {@code bucket}) from base names, so no name here
 * ends in one of those except the info gauge (checked by MetricNamesTest against a real scrape).
 *
 * <p>Histograms are in milliseconds and carry {@code _ms} in their name; they are recorded as
 * DistributionSummary with explicit buckets (see {@link Buckets}), never with a base unit, which
 * would append a second unit suffix.
 */
public final class MetricNames {
    private MetricNames() {}

    // --- the Java agent's own health (yawl_metrics_agent_*) -----------------------------------
    /** Every self-metric starts with this; YAWL's party agents' families are {@code yawl.agent.*}. */
    public static final String SELF_PREFIX = "yawl.metrics.agent.";
    /** yawl_metrics_agent_info{version} = 1. */
    public static final String AGENT_INFO = "yawl.metrics.agent.info";
    /** yawl_metrics_agent_instrumentation_enabled{instrumentation} = 0|1, from configuration. */
    public static final String INSTRUMENTATION_ENABLED = "yawl.metrics.agent.instrumentation.enabled";
    /** yawl_metrics_agent_instrumentation_applied{instrumentation} = 1 once a target was transformed. */
    public static final String INSTRUMENTATION_APPLIED = "yawl.metrics.agent.instrumentation.applied";
    /** yawl_metrics_agent_instrumentation_skipped_total{instrumentation}: target loaded but left unchanged (drift, late attach, invisible agent). */
    public static final String INSTRUMENTATION_SKIPPED = "yawl.metrics.agent.instrumentation.skipped";
    /** yawl_metrics_agent_transformation_errors_total{instrumentation}. */
    public static final String TRANSFORMATION_ERRORS = "yawl.metrics.agent.transformation.errors";
    /** yawl_metrics_agent_recording_errors_total{instrumentation}: exceptions swallowed while recording. */
    public static final String RECORDING_ERRORS = "yawl.metrics.agent.recording.errors";
    /** yawl_metrics_agent_config_errors_total: bad or unknown settings found at start-up. */
    public static final String CONFIG_ERRORS = "yawl.metrics.agent.config.errors";
    /** yawl_metrics_agent_http_requests_total{code}: answers of the agent's own endpoint, by status. */
    public static final String ENDPOINT_REQUESTS = "yawl.metrics.agent.http.requests";
    /** yawl_metrics_agent_http_rejected_total{reason=workers_busy|connections_full|evicted_idle}. */
    public static final String ENDPOINT_REJECTED = "yawl.metrics.agent.http.rejected";
    /** yawl_metrics_agent_http_connections_open: connections to the endpoint open now. */
    public static final String ENDPOINT_CONNECTIONS = "yawl.metrics.agent.http.connections_open";
    /** yawl_metrics_agent_http_timeouts_total: connections closed at their read/idle/write deadline. */
    public static final String ENDPOINT_TIMEOUTS = "yawl.metrics.agent.http.timeouts";
    /** yawl_metrics_agent_web_config_errors_total: web config loads that failed (start-up or rotation). */
    public static final String WEB_CONFIG_ERRORS = "yawl.metrics.agent.web_config.errors";

    // --- heartbeat (EtcdAgentRegistryClient renewals) ----------------------------------------
    public static final String HEARTBEAT_LATENCY = "yawl.heartbeat.latency_ms";
    public static final String HEARTBEAT_RENEWAL = "yawl.heartbeat.renewal_success";
    public static final String HEARTBEAT_TASK_COUNT = "yawl.heartbeat.executor.task_count";
    public static final String HEARTBEAT_QUEUE_DEPTH = "yawl.heartbeat.executor.queue_depth";
    public static final String HEARTBEAT_ACTIVE_THREADS = "yawl.heartbeat.executor.active_threads";
    public static final String HEARTBEAT_LATENESS = "yawl.heartbeat.renewal_lateness_ms";
    public static final String AGENT_RECONNECTS = "yawl.agent.reconnect_count";

    // --- etcd (client side) -----------------------------------------------------------------
    public static final String ETCD_QUERY_LATENCY = "yawl.etcd.query_latency_ms";
    public static final String ETCD_REQUESTS = "yawl.etcd.requests";

    // --- marketplace ------------------------------------------------------------------------
    /** yawl_marketplace_query_latency_ms{query}. */
    public static final String MARKETPLACE_QUERY_LATENCY = "yawl.marketplace.query_latency_ms";
    public static final String MARKETPLACE_LIVENESS_FILTER = "yawl.marketplace.liveness_filter_duration_ms";
    public static final String MARKETPLACE_LIVE_AGENTS = "yawl.marketplace.live_agents_count";
    public static final String MARKETPLACE_LISTINGS = "yawl.marketplace.listings";
    public static final String MARKETPLACE_INDEX_SIZE = "yawl.marketplace.liveness_index_size";
    public static final String MARKETPLACE_INDEX_SYNC = "yawl.marketplace.index_sync_time_ms";
    public static final String MARKETPLACE_PUBLISH = "yawl.marketplace.publish_count";
    public static final String MARKETPLACE_HEARTBEAT = "yawl.marketplace.heartbeat_count";
    public static final String MARKETPLACE_UNPUBLISH = "yawl.marketplace.unpublish_count";

    // --- lifecycle --------------------------------------------------------------------------
    /** Not "yawl.agent.created": Micrometer strips "created" and the name collides with yawl_metrics_agent_info. */
    public static final String AGENT_CREATIONS = "yawl.agent.creations";
    public static final String AGENT_STOPPED = "yawl.agent.stopped";
    public static final String AGENT_CREATE_FAILURES = "yawl.agent.create_failures";
    public static final String AGENT_STATE_TRANSITIONS = "yawl.agent.state_transitions";
    public static final String AGENT_STATE_DURATION = "yawl.agent.state_duration_ms";
    public static final String AGENT_LIVE = "yawl.agent.live";
    public static final String AGENT_DISCOVERY_ATTEMPTS = "yawl.agent.discovery_attempts";
    public static final String AGENT_CHECKOUTS = "yawl.agent.work_item_checkout_count";
    public static final String AGENT_CHECKINS = "yawl.agent.work_item_checkin_count";

    // --- discovery backoff ------------------------------------------------------------------
    public static final String AGENT_BACKOFF_LEVEL = "yawl.agent.backoff_level";
    public static final String AGENT_BACKOFF_LEVEL_AGENTS = "yawl.agent.backoff_level_agents";
    public static final String BACKOFF_SLEEP = "yawl.discovery.backoff_sleep_time_ms";
    public static final String BACKOFF_CYCLES = "yawl.discovery.backoff_cycles";
    public static final String AGENTS_IN_BACKOFF = "yawl.discovery.agents_in_backoff";
    public static final String EMPTY_RESULT_CONSECUTIVE = "yawl.discovery.empty_result_consecutive";
    public static final String POLLING_LOAD_REDUCTION = "yawl.discovery.polling_load_reduction_percent";

    // --- java.net.http client ---------------------------------------------------------------
    public static final String HTTP_REQUESTS_SENT = "yawl.http.client.requests_sent";
    public static final String HTTP_REQUEST_LATENCY = "yawl.http.client.request_latency_ms";
    public static final String HTTP_CONNECTIONS_ACTIVE = "yawl.http.client.connections_active";
    public static final String HTTP_CONNECTIONS_PENDING = "yawl.http.client.connections_pending";
    public static final String HTTP_TIMEOUTS = "yawl.http.client.connection_timeout_count";
    public static final String HTTP_POOL_UTILIZATION = "yawl.http.client.pool_utilization_percent";

    // --- JVM (Micrometer's own binders; names are theirs) -----------------------------------
    /** jvm_gc_pause_seconds, a Timer of Micrometer's JvmGcMetrics; the agent adds histogram buckets. */
    public static final String JVM_GC_PAUSE = "jvm.gc.pause";
    /** process_open_fds: Micrometer's process.files.open under the name Prometheus clients use. */
    public static final String PROCESS_OPEN_FDS = "process.open.fds";
    /** process_max_fds: Micrometer's process.files.max under the name Prometheus clients use. */
    public static final String PROCESS_MAX_FDS = "process.max.fds";
}
