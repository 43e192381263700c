package dev.yawlmetrics.agent.instrumentation;

import net.bytebuddy.jar.asm.Type;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What to weave into one engine method: calls to the agent's static recorder methods at entry
 * and at exit (and, when asked, on the way out of an exception, which is then rethrown
 * unchanged). The woven code is only loads, one {@code invokestatic} per hook and, at most, one
 * {@code System.nanoTime()}: the recorders themselves catch every Throwable, so the engine never
 * sees an exception of ours. {@link AdviceWeaver} writes the bytecode.
 *
 * <p>This replaces Byte Buddy's {@code Advice}: the same inlined shape, without the ~1,000 classes
 * and ~40 MiB that Byte Buddy's type model costs an engine at start-up (see docs/benchmarks.md).
 */
public final class MethodAdvice {

    /** A public static method of the agent that woven code calls. */
    public static final class Hook {
        final String owner;
        final String name;
        final String descriptor;

        private Hook(String owner, String name, String descriptor) {
            this.owner = owner;
            this.name = name;
            this.descriptor = descriptor;
        }

        /** The one public static method of {@code owner} with that name. */
        public static Hook of(Class<?> owner, String name) {
            Method found = null;
            for (Method m : owner.getDeclaredMethods()) {
                if (m.getName().equals(name) && Modifier.isStatic(m.getModifiers()) && Modifier.isPublic(m.getModifiers())) {
                    if (found != null) {
                        throw new IllegalArgumentException("hook " + owner.getName() + "." + name + " is overloaded");
                    }
                    found = m;
                }
            }
            if (found == null) {
                throw new IllegalArgumentException("no public static " + owner.getName() + "." + name);
            }
            return new Hook(Type.getInternalName(owner), name, Type.getMethodDescriptor(found));
        }

        /** The same method, called on a class of another name (a copy defined elsewhere). */
        public Hook on(String ownerInternalName) {
            return new Hook(ownerInternalName, name, descriptor);
        }

        Type returnType() {
            return Type.getReturnType(descriptor);
        }

        Type[] parameterTypes() {
            return Type.getArgumentTypes(descriptor);
        }

        @Override
        public String toString() {
            return owner.substring(owner.lastIndexOf('/') + 1) + "." + name + descriptor;
        }
    }

    enum Kind { THIS, ARGUMENT, FIELD, CONSTANT, ENTER, RETURNED, THROWN, OUTCOME }

    /** One value passed to a hook. */
    public static final class Arg {
        final Kind kind;
        final int number;
        final String field;

        private Arg(Kind kind, int number, String field) {
            this.kind = kind;
            this.number = number;
            this.field = field;
        }

        /** {@code this} (instance methods; in constructors only at exit). */
        public static Arg self() { return new Arg(Kind.THIS, 0, null); }

        /** The method's parameter {@code index} (0-based, {@code this} not counted). */
        public static Arg argument(int index) { return new Arg(Kind.ARGUMENT, index, null); }

        /** An instance field of the advised class, read from {@code this}. */
        public static Arg field(String name) { return new Arg(Kind.FIELD, 0, name); }

        /** An int constant baked into the bytecode (e.g. a query's ordinal). */
        public static Arg constant(int value) { return new Arg(Kind.CONSTANT, value, null); }

        /** The value kept at entry: the {@code nanoTime()} or the result of {@link Builder#enterValue}. */
        public static Arg enterValue() { return new Arg(Kind.ENTER, 0, null); }

        /** At exit: the value being returned; zero / null when leaving by an exception. */
        public static Arg returned() { return new Arg(Kind.RETURNED, 0, null); }

        /** At exit: the exception leaving the method, or null on a normal return. */
        public static Arg thrown() { return new Arg(Kind.THROWN, 0, null); }

        /** At exit: the exception if one is leaving the method, else the returned reference. */
        public static Arg outcome() { return new Arg(Kind.OUTCOME, 0, null); }
    }

    static final class Call {
        final Hook hook;
        final Arg[] args;
        /** -1: drop the result; otherwise the parameter index the result is stored into. */
        final int storeIntoArgument;
        final boolean keep;

        Call(Hook hook, Arg[] args, int storeIntoArgument, boolean keep) {
            this.hook = hook;
            this.args = args.clone();
            this.storeIntoArgument = storeIntoArgument;
            this.keep = keep;
        }

        boolean uses(Kind kind) {
            for (Arg a : args) {
                if (a.kind == kind) {
                    return true;
                }
            }
            return false;
        }
    }

    final boolean enterNanos;
    final List<Call> enter;
    final List<Call> exit;
    final boolean onThrowable;
    /** Type of the value kept at entry, or null when nothing is kept. */
    final Type enterType;

    private MethodAdvice(Builder b) {
        this.enterNanos = b.enterNanos;
        this.enter = Collections.unmodifiableList(new ArrayList<>(b.enter));
        this.exit = Collections.unmodifiableList(new ArrayList<>(b.exit));
        this.onThrowable = b.onThrowable;
        Type kept = b.enterNanos ? Type.LONG_TYPE : null;
        for (Call c : enter) {
            if (c.keep) {
                kept = c.hook.returnType();
            }
        }
        this.enterType = kept;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The hooks it calls, for log lines. */
    String describe() {
        StringBuilder sb = new StringBuilder();
        for (Call c : enter) {
            sb.append(sb.length() == 0 ? "" : ", ").append(c.hook);
        }
        for (Call c : exit) {
            sb.append(sb.length() == 0 ? "" : ", ").append(c.hook);
        }
        return sb.length() == 0 ? "(no hooks)" : sb.toString();
    }

    /** The common case: {@code nanoTime()} at entry, one hook at every exit including exceptional ones. */
    public static MethodAdvice timed(Hook exitHook, Arg... exitArgs) {
        return builder().enterNanos().exit(exitHook, exitArgs).onThrowable().build();
    }

    public static final class Builder {
        private boolean enterNanos;
        private final List<Call> enter = new ArrayList<>();
        private final List<Call> exit = new ArrayList<>();
        private boolean onThrowable;

        /** Keeps {@code System.nanoTime()} at entry as the enter value. */
        public Builder enterNanos() {
            ensureNoEnterValue();
            enterNanos = true;
            return this;
        }

        /** Calls a hook at entry; a result is dropped. */
        public Builder enter(Hook hook, Arg... args) {
            enter.add(new Call(hook, args, -1, false));
            return this;
        }

        /** Calls a hook at entry and keeps its result as the enter value. */
        public Builder enterValue(Hook hook, Arg... args) {
            ensureNoEnterValue();
            enter.add(new Call(hook, args, -1, true));
            return this;
        }

        /** Calls a hook at entry and stores its result into the method's parameter {@code index}. */
        public Builder enterReplacingArgument(int index, Hook hook, Arg... args) {
            enter.add(new Call(hook, args, index, false));
            return this;
        }

        public Builder exit(Hook hook, Arg... args) {
            exit.add(new Call(hook, args, -1, false));
            return this;
        }

        /** The exit hooks also run when the method throws (not allowed on constructors). */
        public Builder onThrowable() {
            onThrowable = true;
            return this;
        }

        public MethodAdvice build() {
            return new MethodAdvice(this);
        }

        private void ensureNoEnterValue() {
            if (enterNanos) {
                throw new IllegalStateException("one enter value per advice");
            }
            for (Call c : enter) {
                if (c.keep) {
                    throw new IllegalStateException("one enter value per advice");
                }
            }
        }
    }
}
