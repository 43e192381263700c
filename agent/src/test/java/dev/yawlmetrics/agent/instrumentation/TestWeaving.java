package dev.yawlmetrics.agent.instrumentation;

import dev.yawlmetrics.agent.config.InstrumentationName;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.function.Consumer;

/** What the weaver's unit tests share: a one-rule module, a class's own bytes, a fresh loader for the woven copy. */
final class TestWeaving {
    private TestWeaving() {}

    /** A module with one type instrumentation of {@code target} that does {@code plan}. */
    static InstrumentationModule module(Class<?> target, boolean addsMembers, Consumer<Weaving> plan) {
        return new InstrumentationModule() {
            @Override
            public InstrumentationName name() {
                return InstrumentationName.LIFECYCLE;
            }

            @Override
            public List<TypeInstrumentation> typeInstrumentations() {
                return List.of(new TypeInstrumentation() {
                    @Override
                    public String targetClassName() {
                        return target.getName();
                    }

                    @Override
                    public boolean addsMembers() {
                        return addsMembers;
                    }

                    @Override
                    public String checkShape(ClassShape type) {
                        return null;
                    }

                    @Override
                    public void transform(Weaving weaving) {
                        plan.accept(weaving);
                    }
                });
            }
        };
    }

    static byte[] bytes(Class<?> c) throws IOException {
        try (InputStream in = c.getResourceAsStream("/" + c.getName().replace('.', '/') + ".class")) {
            return in.readAllBytes();
        }
    }

    /** Defines {@code bytes} as {@code name} in a fresh loader (everything else from the tests' loader) and initialises it. */
    static Class<?> define(String name, byte[] bytes) throws ClassNotFoundException {
        ClassLoader loader = new ClassLoader(TestWeaving.class.getClassLoader()) {
            @Override
            protected Class<?> loadClass(String n, boolean resolve) throws ClassNotFoundException {
                if (n.equals(name)) {
                    synchronized (getClassLoadingLock(n)) {
                        Class<?> c = findLoadedClass(n);
                        return c != null ? c : defineClass(n, bytes, 0, bytes.length);
                    }
                }
                return super.loadClass(n, resolve);
            }
        };
        Class<?> c = Class.forName(name, true, loader);
        if (c.getClassLoader() != loader) {
            throw new IllegalStateException("the woven copy of " + name + " is not what runs");
        }
        return c;
    }
}
