package dev.yawlmetrics.agent.httpclient;

import dev.yawlmetrics.agent.config.InstrumentationName;
import dev.yawlmetrics.agent.core.AgentLog;
import dev.yawlmetrics.agent.instrumentation.AgentContext;
import dev.yawlmetrics.agent.instrumentation.InstrumentationModule;
import dev.yawlmetrics.agent.instrumentation.Shapes;
import dev.yawlmetrics.agent.instrumentation.TypeInstrumentation;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.pool.TypePool;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

import static net.bytebuddy.matcher.ElementMatchers.isPrivate;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.returns;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * The JDK's own HTTP client ({@code java.net.http}), which every outbound call of the engine
 * uses. Target: {@code jdk.internal.net.http.HttpClientImpl}'s private
 * {@code sendAsync(HttpRequest, BodyHandler, PushPromiseHandler, Executor)}, the single funnel
 * behind {@code send} and both public {@code sendAsync} (same shape on Java 17 and 25; the
 * public facade delegates to it). The class is loaded by the platform class loader (module
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
    public List<TypeInstrumentation> typeInstrumentations() {
        return List.of(new HttpClientImplType());
    }

    @Override
    public void onAgentStarted(AgentContext context) throws Exception {
        if (context.instrumentation() == null) {
            return;
        }
        BridgeInstaller.install(context.instrumentation(),
                HttpClientRecorder::start, HttpClientRecorder::headers, HttpClientRecorder::returned);
        AgentLog.debug("httpclient: bridge " + BridgeInstaller.BRIDGE_NAME + " defined in module java.net.http");
    }

    static final class HttpClientImplType implements TypeInstrumentation {
        static final ElementMatcher.Junction<MethodDescription> FUNNEL = isPrivate()
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
        public String checkShape(TypeDescription type) {
            return Shapes.missing(type, Shapes.method(
                    "private CompletableFuture sendAsync(HttpRequest, BodyHandler, PushPromiseHandler, Executor)", FUNNEL));
        }

        @Override
        public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder, TypeDescription type, ClassLoader loader) {
            ClassFileLocator locator;
            try {
                locator = BridgeInstaller.remappedLocator(SendAdvice.class);
            } catch (java.io.IOException e) {
                throw new IllegalStateException("advice class file unreadable", e);
            }
            TypeDescription advice = TypePool.Default.of(locator).describe(SendAdvice.class.getName()).resolve();
            return builder.visit(Advice.to(advice, locator).on(FUNNEL));
        }
    }

    /**
     * Inlined into HttpClientImpl: wraps the body handler (to see the response headers), and
     * hands the returned future (or the exception) to the bridge. Never changes the result.
     */
    static final class SendAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        @SuppressWarnings({"rawtypes", "UnusedAssignment"})
        static Object enter(@Advice.Argument(0) HttpRequest request,
                            @Advice.Argument(value = 1, readOnly = false) HttpResponse.BodyHandler handler) {
            Object token = HttpClientBridge.start(request);
            handler = HttpClientBridge.wrap(handler, token);
            return token;
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.Enter Object token,
                         @Advice.Return CompletableFuture<?> result,
                         @Advice.Thrown Throwable thrown) {
            HttpClientBridge.end(token, thrown != null ? thrown : result);
        }
    }
}
