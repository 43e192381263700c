package dev.yawlmetrics.buildtools.zoo;

/** Package-private class and methods: references to them are direct calls from the same package. */
final class Helper {
    private Helper() {}

    static String packagePrivate(String s) {
        return "[" + s + "]";
    }

    String instanceMethod(int n) {
        return "i" + n;
    }

    static Helper make() {
        return new Helper();
    }
}
