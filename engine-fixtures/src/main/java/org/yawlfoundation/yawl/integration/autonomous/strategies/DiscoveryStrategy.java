package org.yawlfoundation.yawl.integration.autonomous.strategies;

import org.yawlfoundation.yawl.engine.interfce.WorkItemRecord;
import org.yawlfoundation.yawl.engine.interfce.interfaceB.InterfaceB_EnvironmentBasedClient;

import java.io.IOException;
import java.util.List;

/** Fixture: how an agent finds work items. */
public interface DiscoveryStrategy {
    List<WorkItemRecord> discoverWorkItems(InterfaceB_EnvironmentBasedClient client, String sessionHandle) throws IOException;
}
