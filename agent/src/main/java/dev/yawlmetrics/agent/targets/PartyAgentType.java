package dev.yawlmetrics.agent.targets;

import dev.yawlmetrics.agent.core.StartMode;
import dev.yawlmetrics.agent.instrumentation.ClassShape;
import dev.yawlmetrics.agent.instrumentation.TypeInstrumentation;

/**
 * What the lifecycle and discovery instrumentations of {@code GenericPartyAgent} share: the
 * target and the load-time-only field addition ({@link PartyAgentShape#ensureTracked}).
 */
public abstract class PartyAgentType implements TypeInstrumentation {
    @Override
    public final String targetClassName() {
        return PartyAgentShape.TARGET;
    }

    /**
     * Per-agent state is a field added at first load (PartyAgentShape.ensureTracked); after a late
     * attach it lives in the lifecycle package's SideStates instead and the class keeps its shape.
     */
    @Override
    public final boolean addsMembers() {
        return !StartMode.isLate();
    }

    /**
     * Nothing beyond the rules: each advice and rewrite names its site and must find it, and the
     * fields are checked where they are declared ({@link PartyAgentShape#ensureTracked}).
     */
    @Override
    public final String checkShape(ClassShape type) {
        return null;
    }
}
