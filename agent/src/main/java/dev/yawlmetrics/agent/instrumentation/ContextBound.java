package dev.yawlmetrics.agent.instrumentation;

/** Something a module's recorders reach statically that the install step binds to the module's context (their meters). */
public interface ContextBound {
    void bind(ModuleContext context);

    void unbind();
}
