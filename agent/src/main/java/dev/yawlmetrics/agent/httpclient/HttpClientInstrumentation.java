package dev.yawlmetrics.agent.httpclient;

import dev.yawlmetrics.agent.config.InstrumentationName;
import dev.yawlmetrics.agent.core.MetricsAgentLog;
import dev.yawlmetrics.agent.instrumentation.ModuleContext;
import dev.yawlmetrics.agent.instrumentation.ContextBound;
import dev.yawlmetrics.agent.instrumentation.InstrumentationModule;
import dev.yawlmetrics.agent.instrumentation.ClassShape;
import dev.yawlmetrics.agent.instrumentation.ClassShape.Member;
import dev.yawlmetrics.agent.instrumentation.MethodAdvice;
import dev.yawlmetrics.agent.instrumentation.MethodAdvice.Hook;
import dev.yawlmetrics.agent.instrumentation.TypeInstrumentation;
import dev.yawlmetrics.agent.instrumentation.Weaving;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Predicate;

import static dev.yawlmetrics.agent.instrumentation.Members.isPrivate;
import static dev.yawlmetrics.agent.instrumentation.Members.named;
import static dev.yawlmetrics.agent.instrumentation.Members.returns;
import static dev.yawlmetrics.agent.instrumentation.Members.takesArguments;
import static dev.yawlmetrics.agent.instrumentation.MethodAdvice.Arg.argument;
import static dev.yawlmetrics.agent.instrumentation.MethodAdvice.Arg.enterValue;
import static dev.yawlmetrics.agent.instrumentation.MethodAdvice.Arg.outcome;

/**
 * The JDK's own HTTP client ({@code java.net.http}), which every outbound call of the engine
 * uses. Targets in {@code jdk.internal.net.http.HttpClientImpl} (same shapes on Java 17 and 25;
 * the public facade delegates to it): the private
 * {@code sendAsync(HttpRequest, BodyHandler, PushPromiseHandler, Executor)}, the single funnel
 * behind {@code send} and both public {@code sendAsync}, for asynchronous requests; and the
 * public {@code send(HttpRequest, BodyHandler)} for synchronous ones (the engine's etcd calls,
 * every heartbeat renewal). A synchronous send is recorded when it returns, on the caller's
 * thread: observing the future it waits on instead put a stage on that future which the client's
 * thread and the woken caller both ran to completion, on every renewal. The class is loaded by the platform class loader (module
 * {@code java.net.http}), which cannot see the agent's classes, so the advice talks to
 * {@link HttpClientBridge}, defined inside {@code java.net.http} by {@link BridgeInstaller}.
 */
public final class HttpClientInstrumentation implements InstrumentationModule {
    static final String TARGET = "jdk.internal.net.http.HttpClientImpl";

    @Override
    public InstrumentationName name() {
        return InstrumentationName.HTTPCLIENT;
    }

    @Override
    public List<String> targetClassNames() {
        return List.of(TARGET);
    }

    @Override
    public List<? extends ContextBound> boundToContext() {
        return List.of(HttpClientRecorder.METRICS);
    }

    @Override
    public List<TypeInstrumentation> typeInstrumentations() {
        return List.of(new HttpClientImplType());
    }

    @Override
    public void onAgentStarted(ModuleContext context) throws Exception {
        if (context.instrumentation() == null) {
            return;
        }
        BridgeInstaller.install(context.instrumentation(),
                HttpClientRecorder::start, HttpClientRecorder::headers, HttpClientRecorder::returned,
                HttpClientRecorder::startSend, HttpClientRecorder::sendEnded);
        MetricsAgentLog.debug("httpclient: bridge " + BridgeInstaller.BRIDGE_NAME + " defined in module java.net.http");
    }

    /** The bridge class stays defined in java.net.http (a JVM cannot undefine it); it forgets the agent. */
    @Override
    public void onAgentDetached() throws Exception {
        BridgeInstaller.uninstall();
    }

    static final class HttpClientImplType implements TypeInstrumentation {
        static final Predicate<Member> SEND = named("send")
                .and(takesArguments(HttpRequest.class, HttpResponse.BodyHandler.class))
                .and(returns(HttpResponse.class));
        static final Predicate<Member> FUNNEL = isPrivate()
                .and(named("sendAsync"))
                .and(takesArguments(HttpRequest.class, HttpResponse.BodyHandler.class,
                        HttpResponse.PushPromiseHandler.class, Executor.class))
                .and(returns(CompletableFuture.class));

        @Override
        public String targetClassName() {
            return TARGET;
        }

        /** Until the bridge exists the advice could not link; the gate retransforms afterwards. */
        @Override
        public boolean ready() {
            return BridgeInstaller.isInstalled();
        }

        @Override
        public String checkShape(ClassShape type) {
            return type.missing(
                    ClassShape.method("private CompletableFuture sendAsync(HttpRequest, BodyHandler, PushPromiseHandler, Executor)", FUNNEL),
                    ClassShape.method("HttpResponse send(HttpRequest, BodyHandler)", SEND));
        }

        /**
         * Inlined into HttpClientImpl, calling the bridge inside java.net.http: a token per request
         * and at exit the response (send) or the returned future (sendAsync), or the exception,
         * rethrown unchanged, handed to the bridge. Never changes the result. Only sendAsync's body
         * handler is wrapped (to see the response headers); send keeps the caller's own, so the
         * client's threads run no agent code for it. send reaches the funnel with no executor, and
         * the funnel leaves such calls to send's own advice.
         */
        @Override
        public void transform(Weaving weaving) {
            String bridge = BridgeInstaller.BRIDGE_NAME.replace('.', '/');
            weaving.advise(SEND, MethodAdvice.builder()
                    .enterValue(Hook.of(HttpClientBridge.class, "startSend").on(bridge), argument(0))
                    .exit(Hook.of(HttpClientBridge.class, "endSend").on(bridge), enterValue(), outcome())
                    .onThrowable().build());
            weaving.advise(FUNNEL, MethodAdvice.builder()
                    .enterValue(Hook.of(HttpClientBridge.class, "startAsync").on(bridge), argument(0), argument(3))
                    .enterReplacingArgument(1, Hook.of(HttpClientBridge.class, "wrap").on(bridge), argument(1), enterValue())
                    .exit(Hook.of(HttpClientBridge.class, "end").on(bridge), enterValue(), outcome())
                    .onThrowable().build());
        }
    }
}
