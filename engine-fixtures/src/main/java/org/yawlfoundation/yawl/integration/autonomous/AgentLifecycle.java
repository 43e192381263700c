package org.yawlfoundation.yawl.integration.autonomous;

/** Fixture with the engine's shape: the nine lifecycle states of an autonomous agent. */
public enum AgentLifecycle {
    CREATED, INITIALIZING, DISCOVERING, REASONING, ACTING, REPORTING, STOPPING, STOPPED, FAILED
}
