package dev.yawlmetrics.buildtools.zoo;

import java.util.function.Function;
import java.util.function.Supplier;

/** Lambdas in an interface: a default method capturing this, and a static one. */
public interface Greeter {
    String name();

    default String greet(String other) {
        Function<String, String> f = o -> "hello " + o + " from " + name();
        return f.apply(other);
    }

    static String quietly(String s) {
        Supplier<String> q = () -> s.toLowerCase();
        return q.get();
    }
}
