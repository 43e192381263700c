package org.yawlfoundation.yawl.integration.autonomous.strategies;

import org.yawlfoundation.yawl.engine.interfce.WorkItemRecord;

/** Fixture: whether an agent should take a work item. */
public interface EligibilityReasoner {
    boolean isEligible(WorkItemRecord workItem);
}
