package org.yawlfoundation.yawl.integration.autonomous;

/** Fixture: what an agent can do. */
public record AgentCapability(String domainName, String description) {}
