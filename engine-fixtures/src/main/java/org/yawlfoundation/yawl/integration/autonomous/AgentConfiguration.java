package org.yawlfoundation.yawl.integration.autonomous;

import org.yawlfoundation.yawl.integration.autonomous.strategies.DecisionReasoner;
import org.yawlfoundation.yawl.integration.autonomous.strategies.DiscoveryStrategy;
import org.yawlfoundation.yawl.integration.autonomous.strategies.EligibilityReasoner;

import java.util.Objects;

/** Fixture with the engine's shape. Rejects port 0 (and any port outside 1..65535). */
public final class AgentConfiguration {
    private final String engineUrl;
    private final String username;
    private final String password;
    private final String agentName;
    private final int port;
    private final long pollIntervalMs;
    private final String version;
    private final AgentCapability capability;
    private final DiscoveryStrategy discoveryStrategy;
    private final EligibilityReasoner eligibilityReasoner;
    private final DecisionReasoner decisionReasoner;

    public AgentConfiguration(String engineUrl, String username, String password, String agentName, int port,
                              long pollIntervalMs, String version, AgentCapability capability,
                              DiscoveryStrategy discoveryStrategy, EligibilityReasoner eligibilityReasoner,
                              DecisionReasoner decisionReasoner) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be between 1 and 65535: " + port);
        }
        if (pollIntervalMs < 1) {
            throw new IllegalArgumentException("pollIntervalMs must be positive: " + pollIntervalMs);
        }
        this.engineUrl = Objects.requireNonNull(engineUrl);
        this.username = Objects.requireNonNull(username);
        this.password = Objects.requireNonNull(password);
        this.agentName = Objects.requireNonNull(agentName);
        this.port = port;
        this.pollIntervalMs = pollIntervalMs;
        this.version = version;
        this.capability = capability;
        this.discoveryStrategy = Objects.requireNonNull(discoveryStrategy);
        this.eligibilityReasoner = Objects.requireNonNull(eligibilityReasoner);
        this.decisionReasoner = Objects.requireNonNull(decisionReasoner);
    }

    public String getEngineUrl() { return engineUrl; }
    public String getUsername() { return username; }
    public String getPassword() { return password; }
    public String getAgentName() { return agentName; }
    public int port() { return port; }
    public long pollIntervalMs() { return pollIntervalMs; }
    public String version() { return version; }
    public AgentCapability getCapability() { return capability; }
    public DiscoveryStrategy discoveryStrategy() { return discoveryStrategy; }
    public EligibilityReasoner eligibilityReasoner() { return eligibilityReasoner; }
    public DecisionReasoner decisionReasoner() { return decisionReasoner; }
}
