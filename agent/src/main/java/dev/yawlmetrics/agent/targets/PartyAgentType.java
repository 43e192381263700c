package dev.yawlmetrics.agent.targets;

import dev.yawlmetrics.agent.core.StartMode;
import dev.yawlmetrics.agent.instrumentation.ClassShape;
import dev.yawlmetrics.agent.instrumentation.TypeInstrumentation;

import java.util.List;

/**
 * What the lifecycle and discovery instrumentations of {@code GenericPartyAgent} share: the
 * target, the load-time-only field addition ({@link PartyAgentShape#ensureTracked}), and the shape
 * check of the engine fields the accessors read, before each module's own methods.
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

    @Override
    public final String checkShape(ClassShape type) {
        List<String> fields = PartyAgentShape.missingFields(type);
        if (!fields.isEmpty()) {
            return "member(s) not found: " + String.join(", ", fields);
        }
        return type.missing(expectedMethods());
    }

    /** The methods this module's advice and rewrites rely on. */
    protected abstract ClassShape.Expect[] expectedMethods();
}
