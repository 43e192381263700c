package dev.yawlmetrics.agent.targets;

import java.net.http.HttpTimeoutException;

/**
 * The bounded {@code outcome} label of an etcd call and of a heartbeat renewal, classified by the
 * exception the engine's private etcd method ended with. {@link HttpTimeoutException} covers both
 * the request timeout and its subclass {@code HttpConnectTimeoutException}.
 */
public enum EtcdOutcome {
    SUCCESS, TIMEOUT, ERROR;

    public String label() {
        return this == SUCCESS ? "success" : this == TIMEOUT ? "timeout" : "error";
    }

    /** null (normal return) is a success; a java.net.http timeout is a timeout; anything else an error. */
    public static EtcdOutcome of(Throwable thrown) {
        if (thrown == null) {
            return SUCCESS;
        }
        return thrown instanceof HttpTimeoutException ? TIMEOUT : ERROR;
    }
}
