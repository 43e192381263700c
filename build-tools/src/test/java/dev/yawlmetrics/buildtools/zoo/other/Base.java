package dev.yawlmetrics.buildtools.zoo.other;

/** A protected method in another package, referenced from a subclass's lambda. */
public class Base {
    protected String hidden() {
        return "protected-" + getClass().getSimpleName();
    }
}
