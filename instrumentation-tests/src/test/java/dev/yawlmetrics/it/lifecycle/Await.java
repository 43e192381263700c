package dev.yawlmetrics.it.lifecycle;

import dev.yawlmetrics.testsupport.AgentJvm;
import dev.yawlmetrics.testsupport.Scrape;

import java.util.function.Predicate;

/** Scrapes until a condition holds (the agents' loops run on their own threads). */
final class Await {
    private Await() {}

    static Scrape scrapeUntil(AgentJvm jvm, String what, Predicate<Scrape> condition) throws Exception {
        long deadline = System.nanoTime() + 30_000_000_000L;
        Scrape s = jvm.scrape();
        while (!condition.test(s)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what + "; last scrape:\n" + s.text() + "\n" + jvm.describe());
            }
            Thread.sleep(25);
            s = jvm.scrape();
        }
        return s;
    }
}
