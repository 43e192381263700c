package dev.yawlmetrics.demo;

import java.util.ArrayList;
import java.util.List;

/** A scenario as a list of timed steps, at fractions of the run (or fixed seconds when unbounded). */
final class Timeline {
    enum Action {
        WORK_ON("work on"), WORK_OFF("work off"), ETCD_DOWN("etcd-down"), ETCD_UP("etcd-up"), SURGE_ON("surge on"), SURGE_OFF("surge off");

        private final String command;

        Action(String command) {
            this.command = command;
        }

        String command() {
            return command;
        }
    }

    record Step(long atSecond, Action action, String announcement) {}

    private final List<Step> steps = new ArrayList<>();
    private int next;

    Timeline(DemoOptions.Scenario scenario, int durationSeconds) {
        long d = durationSeconds == 0 ? 300 : durationSeconds;
        switch (scenario) {
            case STEADY, SATURATION -> { }
            case DROUGHT -> {
                steps.add(new Step(d / 5, Action.WORK_OFF, "work drought: the engine has no work items; agents back off exponentially"));
                steps.add(new Step(d * 4 / 5, Action.WORK_ON, "work is back: agents reset their backoff"));
            }
            case ETCD_OUTAGE -> {
                steps.add(new Step(d * 3 / 10, Action.ETCD_DOWN, "etcd outage: renewals start failing"));
                steps.add(new Step(d * 6 / 10, Action.ETCD_UP, "etcd is back: renewals recover (reconnects counted)"));
            }
            case SURGE -> {
                steps.add(new Step(d / 5, Action.SURGE_ON, "surge: as many agents again join, a twentieth of the fleet per second"));
                steps.add(new Step(d * 3 / 5, Action.SURGE_OFF, "surge over: the agents that joined leave again"));
            }
        }
    }

    List<Step> due(long elapsedSeconds) {
        List<Step> out = new ArrayList<>();
        while (next < steps.size() && steps.get(next).atSecond() <= elapsedSeconds) {
            out.add(steps.get(next++));
        }
        return out;
    }
}
