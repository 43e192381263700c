package org.yawlfoundation.yawl.integration.autonomous.registry;

import java.util.List;

/** Test fixture with the shape of the engine's AgentInfo (written for these tests). */
public class AgentInfo {
    private final String id;
    private final String name;
    private final List<String> capabilities;
    private final String host;
    private final int port;

    public AgentInfo(String id, String name, List<String> capabilities, String host, int port) {
        this.id = id;
        this.name = name;
        this.capabilities = List.copyOf(capabilities);
        this.host = host;
        this.port = port;
    }

    public String getId() { return id; }

    public String getName() { return name; }

    public List<String> getCapabilities() { return capabilities; }

    public String getHost() { return host; }

    public int getPort() { return port; }
}
