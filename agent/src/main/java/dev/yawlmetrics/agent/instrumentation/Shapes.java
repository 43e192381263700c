package dev.yawlmetrics.agent.instrumentation;

import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

import java.util.ArrayList;
import java.util.List;

/**
 * Helpers for {@link TypeInstrumentation#checkShape}: say which expected members are missing, so
 * a drifted engine class is left alone with a clear log line instead of half-instrumented.
 */
public final class Shapes {
    private Shapes() {}

    /** A named expectation: a human description plus the matcher that must find a declared method. */
    public static final class Expect {
        final String description;
        final ElementMatcher<? super MethodDescription> matcher;

        Expect(String description, ElementMatcher<? super MethodDescription> matcher) {
            this.description = description;
            this.matcher = matcher;
        }
    }

    public static Expect method(String description, ElementMatcher<? super MethodDescription> matcher) {
        return new Expect(description, matcher);
    }

    /** @return null when every expectation matches a declared method, else the missing ones. */
    public static String missing(TypeDescription type, Expect... expectations) {
        List<String> missing = new ArrayList<>();
        for (Expect e : expectations) {
            if (type.getDeclaredMethods().filter(e.matcher).isEmpty()) {
                missing.add(e.description);
            }
        }
        return missing.isEmpty() ? null : "method(s) not found: " + String.join(", ", missing);
    }
}
