package org.yawlfoundation.yawl.integration.autonomous.strategies;

import org.yawlfoundation.yawl.engine.interfce.WorkItemRecord;

/** Fixture: the output data an agent produces for a work item. */
public interface DecisionReasoner {
    String produceOutput(WorkItemRecord workItem);
}
