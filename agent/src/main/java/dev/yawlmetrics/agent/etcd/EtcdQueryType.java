package dev.yawlmetrics.agent.etcd;

/** The bounded {@code query_type} label: which private etcd method ran, and for a put, why. */
public enum EtcdQueryType {
    /** publishToEtcd called from the heartbeat lambda (a renewal). */
    HEARTBEAT,
    /** publishToEtcd called from register() (the initial publish). */
    PUBLISH,
    /** deleteFromEtcd, called from unregister(). */
    UNPUBLISH,
    /** fetchAllFromEtcd, called from syncFromRegistry(). */
    DISCOVERY;

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
