package dev.yawlmetrics.agent.metrics;

import io.prometheus.metrics.expositionformats.OpenMetricsTextFormatWriter;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LeanHistogramTest {

    @Test
    void exportsAClassicHistogramWithExactInclusiveBuckets() throws Exception {
        PrometheusMeterRegistry registry = MetricsAgentRegistry.newRegistry(Map.of());
        LeanHistogram[] h = LeanHistogram.register(registry, "yawl.test.latency_ms", "test", new double[] {10, 1, 100},
                "query_type", "a", "b");
        h[0].record(0.3);   // <= 1
        h[0].record(1.0);   // <= 1 (inclusive, exact: no ceiling)
        h[0].record(1.5);   // <= 10
        h[0].record(150);   // +Inf
        h[0].record(-4);    // clamped to 0
        h[1].record(10);
        String text = registry.scrape();
        assertTrue(text.contains("yawl_test_latency_ms_bucket{query_type=\"a\",le=\"1.0\"} 3"), text);
        assertTrue(text.contains("yawl_test_latency_ms_bucket{query_type=\"a\",le=\"10.0\"} 4"), text);
        assertTrue(text.contains("yawl_test_latency_ms_bucket{query_type=\"a\",le=\"100.0\"} 4"), text);
        assertTrue(text.contains("yawl_test_latency_ms_bucket{query_type=\"a\",le=\"+Inf\"} 5"), text);
        assertTrue(text.contains("yawl_test_latency_ms_count{query_type=\"a\"} 5"), text);
        assertTrue(text.contains("yawl_test_latency_ms_sum{query_type=\"a\"} 152.8"), text);
        assertTrue(text.contains("yawl_test_latency_ms_bucket{query_type=\"b\",le=\"10.0\"} 1"), text);
        assertTrue(text.contains("# TYPE yawl_test_latency_ms histogram"), text);
        String om = registry.scrape(OpenMetricsTextFormatWriter.CONTENT_TYPE);
        assertTrue(om.contains("yawl_test_latency_ms_bucket{query_type=\"a\",le=\"+Inf\"} 5"), om);
        assertEquals(5, h[0].count());
    }

    /** The branch-free bucket search puts every value where "the first bound it does not exceed" does. */
    @Test
    void eachValueLandsInTheBucketOfTheFirstBoundItDoesNotExceed() {
        double[] bounds = {0.5, 1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000};
        LeanHistogram h = new LeanHistogram(bounds);
        java.util.SplittableRandom random = new java.util.SplittableRandom(42);
        long[] expected = new long[bounds.length + 1];
        java.util.List<Double> values = new java.util.ArrayList<>(java.util.List.of(-7.0, -0.0, 0.0, Double.MIN_VALUE,
                Double.MAX_VALUE, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY));
        for (double b : bounds) {
            values.add(b);
            values.add(Math.nextUp(b));
            values.add(Math.nextDown(b));
        }
        for (int n = 0; n < 20_000; n++) {
            values.add(Math.pow(10, random.nextDouble(-3, 6)));
        }
        for (double value : values) {
            double v = value < 0 ? 0 : value;
            int bucket = 0;
            while (bucket < bounds.length && v > bounds[bucket]) {
                bucket++;
            }
            expected[bucket]++;
            h.record(value);
        }
        assertEquals(java.util.Arrays.toString(expected), java.util.Arrays.toString(h.bucketCounts()));
        assertEquals(Double.POSITIVE_INFINITY, h.sum()); // +Inf counts in the sum as it did; negatives add nothing
        LeanHistogram finite = new LeanHistogram(bounds);
        finite.record(-3);
        finite.record(-0.0);
        finite.record(2);
        assertEquals(2.0, finite.sum());
        assertEquals("[2, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]", java.util.Arrays.toString(finite.bucketCounts()));
    }

    /**
     * record() is inlined into the engine's compiled renewal, where C2 drops a branch its profile
     * never saw taken and deoptimises the engine's method when it is taken later: no comparison of
     * the value may reach a jump. The one conditional jump left is the loop over the bounds.
     */
    @Test
    void recordHasNoBranchOnTheValueOnlyTheLoopOverTheBounds() throws Exception {
        java.util.List<String> compares = new java.util.ArrayList<>();
        java.util.List<Integer> jumps = new java.util.ArrayList<>();
        boolean[] found = {false};
        try (java.io.InputStream in = LeanHistogram.class.getResourceAsStream("LeanHistogram.class")) {
            new net.bytebuddy.jar.asm.ClassReader(in.readAllBytes()).accept(new net.bytebuddy.jar.asm.ClassVisitor(net.bytebuddy.jar.asm.Opcodes.ASM9) {
                @Override
                public net.bytebuddy.jar.asm.MethodVisitor visitMethod(int access, String name, String desc, String sig, String[] exceptions) {
                    if (!name.equals("record") || !desc.equals("(D)V")) {
                        return null;
                    }
                    found[0] = true;
                    return new net.bytebuddy.jar.asm.MethodVisitor(net.bytebuddy.jar.asm.Opcodes.ASM9) {
                        @Override
                        public void visitInsn(int op) {
                            if (op >= net.bytebuddy.jar.asm.Opcodes.LCMP && op <= net.bytebuddy.jar.asm.Opcodes.DCMPG) {
                                compares.add("opcode " + op); // lcmp, fcmpl, fcmpg, dcmpl, dcmpg
                            }
                        }

                        @Override
                        public void visitJumpInsn(int op, net.bytebuddy.jar.asm.Label label) {
                            if (op != net.bytebuddy.jar.asm.Opcodes.GOTO) {
                                jumps.add(op);
                            }
                        }
                    };
                }
            }, 0);
        }
        assertTrue(found[0], "record(double) not found");
        assertEquals(java.util.List.of(), compares, "comparisons of values in record()");
        assertEquals(java.util.List.of(net.bytebuddy.jar.asm.Opcodes.IF_ICMPGE), jumps,
                "conditional jumps in record(): only the loop's index < length");
    }

    @Test
    void aNegativeOrInfiniteBoundIsRefusedWhenTheHistogramIsBuilt() {
        for (double bad : new double[] {-1, Double.NaN, Double.POSITIVE_INFINITY}) {
            IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> new LeanHistogram(new double[] {1, bad}));
            assertTrue(e.getMessage().contains("bounds must be finite and >= 0"), e.getMessage());
        }
    }

    /** One metrics model: a lean histogram carries the common tags its registry was built with, like a Micrometer meter. */
    @Test
    void leanHistogramsTakeTheCommonTagsOfTheirRegistryLikeMicrometerMeters() {
        PrometheusMeterRegistry tagged = MetricsAgentRegistry.newRegistry(Map.of("cluster", "prod"));
        LeanHistogram.register(tagged, "yawl.test.lean_ms", "test", new double[] {1}, null)[0].record(0.5);
        io.micrometer.core.instrument.Counter.builder("yawl.test.counted").register(tagged).increment();
        String text = tagged.scrape();
        assertTrue(text.contains("yawl_test_lean_ms_count{cluster=\"prod\"} 1"), text);
        assertTrue(text.contains("yawl_test_counted_total{cluster=\"prod\"} 1.0"), text);

        PrometheusMeterRegistry plain = MetricsAgentRegistry.newRegistry(Map.of());
        LeanHistogram.register(plain, "yawl.test.lean_ms", "test", new double[] {1}, null)[0].record(0.5);
        assertTrue(plain.scrape().contains("yawl_test_lean_ms_count 1"), plain.scrape());
    }
}
