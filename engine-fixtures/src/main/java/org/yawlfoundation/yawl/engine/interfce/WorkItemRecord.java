package org.yawlfoundation.yawl.engine.interfce;

/** Fixture with the engine's shape: the parts of a work item an agent reads. */
public class WorkItemRecord {
    public static final String statusEnabled = "Enabled";
    public static final String statusFired = "Fired";
    public static final String statusExecuting = "Executing";
    public static final String statusComplete = "Complete";
    public static final String statusIsParent = "Is parent";

    private final String id;
    private final String taskName;
    private final String status;

    public WorkItemRecord(String id, String taskName, String status) {
        this.id = id;
        this.taskName = taskName;
        this.status = status;
    }

    public String getID() { return id; }

    public String getTaskName() { return taskName; }

    public String getStatus() { return status; }

    public boolean hasLiveStatus() {
        return statusEnabled.equals(status) || statusFired.equals(status) || statusExecuting.equals(status)
                || statusIsParent.equals(status);
    }
}
