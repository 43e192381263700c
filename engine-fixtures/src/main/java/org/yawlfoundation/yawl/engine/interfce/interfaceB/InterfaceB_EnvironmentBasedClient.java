package org.yawlfoundation.yawl.engine.interfce.interfaceB;

import dev.yawlmetrics.fixtures.engine.StubEngine;
import org.yawlfoundation.yawl.engine.interfce.WorkItemRecord;

import java.io.IOException;
import java.util.List;

/**
 * Fixture with the engine client's method names and descriptors. Instead of HTTP it asks
 * {@link StubEngine}, which the test host controls (work or drought, failures, timeouts).
 */
public class InterfaceB_EnvironmentBasedClient {
    private final String backEndURI;

    public InterfaceB_EnvironmentBasedClient(String backEndURI) {
        this.backEndURI = backEndURI;
    }

    public String connect(String userID, String password) throws IOException {
        return StubEngine.connect(backEndURI, userID);
    }

    public String disconnect(String handle) throws IOException {
        return "<success/>";
    }

    public List<WorkItemRecord> getCompleteListOfLiveWorkItems(String sessionHandle) throws IOException {
        long n = StubEngine.liveWorkItems();
        if (n == 0) {
            return List.of();
        }
        return List.of(new WorkItemRecord(n + ".1", "task", WorkItemRecord.statusEnabled),
                new WorkItemRecord(n + ".0", "parent", WorkItemRecord.statusIsParent));
    }

    public String checkOutWorkItem(String workItemID, String sessionHandle) throws IOException {
        return StubEngine.checkOut(workItemID);
    }

    public String checkInWorkItem(String workItemID, String data, String logPredicate, String sessionHandle) throws IOException {
        return StubEngine.checkIn(workItemID);
    }
}
