package dev.yawlmetrics.it.lifecycle;

import dev.yawlmetrics.testsupport.AgentJvm;
import dev.yawlmetrics.testsupport.Scrape;

import java.util.function.Predicate;

/** Scrapes until a condition holds (the agents' loops run on their own threads). */
final class Await {
    private Await() {}

    static Scrape scrapeUntil(AgentJvm jvm, String what, Predicate<Scrape> condition) throws Exception {
        return jvm.scrapeUntil(what, java.time.Duration.ofSeconds(30), condition);
    }
}
