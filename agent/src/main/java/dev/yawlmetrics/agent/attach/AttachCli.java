package dev.yawlmetrics.agent.attach;

import com.sun.tools.attach.AgentInitializationException;
import com.sun.tools.attach.AgentLoadException;
import com.sun.tools.attach.AttachNotSupportedException;
import com.sun.tools.attach.VirtualMachine;
import com.sun.tools.attach.VirtualMachineDescriptor;
import net.bytebuddy.agent.ByteBuddyAgent;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * {@code java -jar yawl-metrics-agent.jar list | attach <pid> [agent arguments] | detach <pid> | status <pid>}.
 * Exit codes: 0 done, 1 failed (one line on stderr saying why; nothing was changed unless it says
 * so), 2 bad usage. Attaching goes through byte-buddy-agent; reading a JVM's state uses the attach
 * API's agent properties (see {@link AgentProperties}), which loads nothing into that JVM.
 */
public final class AttachCli {
    static final int OK = 0;
    static final int FAILED = 1;
    static final int USAGE = 2;

    static final String USAGE_TEXT = String.join("\n",
            "usage: java -jar yawl-metrics-agent.jar <command>",
            "  list                          local JVMs: pid, main class, agent attached and on which port",
            "  attach <pid> [agent-args]     load the agent into a running JVM (agent-args as for -javaagent, e.g. port=9464,tags=pod=a)",
            "  detach <pid>                  remove an attached agent: endpoint closed, classes restored, meters dropped",
            "  status <pid>                  the attached agent's state, port, instrumentations and errors",
            "exit codes: 0 done, 1 failed (nothing changed unless stated), 2 bad usage");

    /** How long attach and detach wait for the agent to report its new state. */
    static long waitMillis = 30_000;

    private final PrintStream out;
    private final PrintStream err;

    AttachCli(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    public static void main(String[] args) {
        System.exit(new AttachCli(System.out, System.err).run(args));
    }

    int run(String[] args) {
        if (args.length == 0) {
            return usage("no command given");
        }
        String command = args[0];
        try {
            switch (command) {
                case "list":
                    return args.length == 1 ? list() : usage("list takes no arguments");
                case "attach":
                    if (args.length < 2 || args.length > 3) {
                        return usage("attach takes a pid and optionally one agent argument string");
                    }
                    return pid(args[1]) == null ? usage("not a pid: " + args[1]) : attach(args[1], args.length == 3 ? args[2] : "");
                case "detach":
                    return args.length != 2 ? usage("detach takes one pid")
                            : pid(args[1]) == null ? usage("not a pid: " + args[1]) : detach(args[1]);
                case "status":
                    return args.length != 2 ? usage("status takes one pid")
                            : pid(args[1]) == null ? usage("not a pid: " + args[1]) : status(args[1]);
                case "-h":
                case "--help":
                case "help":
                    out.println(USAGE_TEXT);
                    return OK;
                default:
                    return usage("unknown command: " + command);
            }
        } catch (Failure f) {
            err.println("yawl-metrics-agent " + command + ": " + f.getMessage());
            return FAILED;
        } catch (NoClassDefFoundError e) {
            err.println("yawl-metrics-agent " + command + ": this Java has no attach API (module jdk.attach); run the command with a JDK's java");
            return FAILED;
        }
    }

    private int usage(String problem) {
        err.println("yawl-metrics-agent: " + problem);
        err.println(USAGE_TEXT);
        return USAGE;
    }

    static Long pid(String s) {
        try {
            long p = Long.parseLong(s);
            return p > 0 ? p : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    // ---------------------------------------------------------------- commands

    private int list() {
        String self = Long.toString(ProcessHandle.current().pid());
        List<VirtualMachineDescriptor> vms = new ArrayList<>(VirtualMachine.list());
        vms.sort((a, b) -> Long.compare(pidOr0(a.id()), pidOr0(b.id())));
        out.printf("%-8s %-60s %s%n", "PID", "MAIN CLASS", "YAWL-METRICS-AGENT");
        for (VirtualMachineDescriptor d : vms) {
            if (d.id().equals(self)) {
                continue;
            }
            String agent;
            try {
                VirtualMachine vm = VirtualMachine.attach(d);
                try {
                    agent = describe(vm.getAgentProperties());
                } finally {
                    vm.detach();
                }
            } catch (Exception e) {
                agent = "unknown (" + reason(d.id(), e) + ")";
            }
            out.printf("%-8s %-60s %s%n", d.id(), mainClass(d.displayName()), agent);
        }
        return OK;
    }

    private int attach(String pid, String agentArgs) {
        Properties before;
        Properties system;
        try (Target t = Target.open(pid)) {
            before = t.agentProperties();
            system = t.systemProperties();
        }
        String state = before.getProperty(AgentProperties.STATE);
        if (AgentProperties.ATTACHED.equals(state) || AgentProperties.STARTING.equals(state) || AgentProperties.DETACHING.equals(state)) {
            throw new Failure("pid " + pid + " already has the agent (" + state + ", port "
                    + before.getProperty(AgentProperties.PORT, "?") + "); nothing changed");
        }
        if (agentArgs.contains(AgentSession.DETACH_ARGUMENT)) {
            throw new Failure("'" + AgentSession.DETACH_ARGUMENT + "' is not an agent setting; use detach <pid>");
        }
        if (feature(system.getProperty("java.specification.version")) >= 21
                && !before.getProperty("sun.jvm.args", "").contains("-XX:+EnableDynamicAgentLoading")) {
            err.println("note: on Java 21 and later the engine prints 'WARNING: A Java agent has been loaded dynamically'"
                    + " on its stderr (JEP 451): start the engine with -XX:+EnableDynamicAgentLoading to allow late attach without"
                    + " that warning (a future Java may refuse dynamic loading without it)");
        }
        load(pid, agentArgs);
        Properties after = awaitState(pid, AgentProperties.ATTACHED, AgentProperties.DISABLED);
        if (AgentProperties.DISABLED.equals(after.getProperty(AgentProperties.STATE))) {
            throw new Failure("the agent was loaded into pid " + pid + " but is " + after.getProperty(AgentProperties.MESSAGE,
                    "disabled by yawl.metrics.enabled=false") + " (the agent argument, or YAWL_METRICS_ENABLED / -Dyawl.metrics.enabled"
                    + " in the engine); attach again with enabled=true to turn it on");
        }
        if (!AgentProperties.ATTACHED.equals(after.getProperty(AgentProperties.STATE))) {
            throw new Failure("the agent was loaded into pid " + pid + " but did not report ready within "
                    + waitMillis / 1000 + " s (state " + after.getProperty(AgentProperties.STATE, "unknown")
                    + "); see the engine's stderr");
        }
        String url = after.getProperty(AgentProperties.URL);
        if (url == null) {
            throw new Failure("the agent is attached to pid " + pid + " but its metrics endpoint is not running ("
                    + after.getProperty(AgentProperties.MESSAGE, "see the engine's stderr") + "); 'detach " + pid + "' removes it");
        }
        out.println("attached to pid " + pid + ": metrics at " + url);
        out.println("instrumentations: " + after.getProperty(AgentProperties.INSTRUMENTATIONS, "?"));
        return OK;
    }

    private int detach(String pid) {
        Properties before;
        try (Target t = Target.open(pid)) {
            before = t.agentProperties();
        }
        String state = before.getProperty(AgentProperties.STATE);
        if (!AgentProperties.ATTACHED.equals(state) && !AgentProperties.STARTING.equals(state)) {
            throw new Failure("no yawl-metrics-agent is attached to pid " + pid + "; nothing changed");
        }
        if ("javaagent".equals(before.getProperty(AgentProperties.MODE))) {
            throw new Failure("the agent in pid " + pid + " was started with -javaagent and cannot be detached"
                    + " (its load-time rewrites added fields); nothing changed");
        }
        load(pid, AgentSession.DETACH_ARGUMENT);
        Properties after = awaitState(pid, AgentProperties.DETACHED);
        if (!AgentProperties.DETACHED.equals(after.getProperty(AgentProperties.STATE))) {
            throw new Failure("pid " + pid + " did not report the detach within " + waitMillis / 1000 + " s (state "
                    + after.getProperty(AgentProperties.STATE, "unknown") + "); see the engine's stderr");
        }
        out.println("detached from pid " + pid + ": " + after.getProperty(AgentProperties.DETACH, ""));
        return OK;
    }

    private int status(String pid) {
        Properties p;
        try (Target t = Target.open(pid)) {
            p = t.agentProperties();
        }
        String state = p.getProperty(AgentProperties.STATE);
        if (state == null) {
            throw new Failure("no yawl-metrics-agent in pid " + pid + " (never attached)");
        }
        out.println("pid:              " + pid);
        out.println("state:            " + state);
        out.println("started by:       " + p.getProperty(AgentProperties.MODE, "?"));
        out.println("version:          " + p.getProperty(AgentProperties.VERSION, "?"));
        out.println("port:             " + p.getProperty(AgentProperties.PORT, "-1"));
        out.println("metrics:          " + p.getProperty(AgentProperties.URL, "(not served)"));
        out.println("instrumentations: " + p.getProperty(AgentProperties.INSTRUMENTATIONS, "-"));
        out.println("errors:           " + p.getProperty(AgentProperties.ERRORS, "-"));
        if (p.getProperty(AgentProperties.MESSAGE) != null) {
            out.println("problem:          " + p.getProperty(AgentProperties.MESSAGE));
        }
        if (p.getProperty(AgentProperties.DETACH) != null) {
            out.println("last detach:      " + p.getProperty(AgentProperties.DETACH));
        }
        if (!AgentProperties.ATTACHED.equals(state)) {
            err.println("yawl-metrics-agent status: the agent in pid " + pid + " is " + state);
            return FAILED;
        }
        return OK;
    }

    // ---------------------------------------------------------------- plumbing

    /** Loads this jar into the target through byte-buddy-agent. */
    private void load(String pid, String argument) {
        File jar = ownJar();
        try {
            ByteBuddyAgent.attach(jar, pid, argument);
        } catch (RuntimeException e) {
            throw new Failure("loading the agent into pid " + pid + " failed: " + reason(pid, e));
        }
    }

    private Properties awaitState(String pid, String... wanted) {
        long deadline = System.nanoTime() + waitMillis * 1_000_000L;
        Properties p = new Properties();
        while (true) {
            try (Target t = Target.open(pid)) {
                p = t.agentProperties();
            }
            if (java.util.Arrays.asList(wanted).contains(p.getProperty(AgentProperties.STATE)) || System.nanoTime() > deadline) {
                return p;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return p;
            }
        }
    }

    static File ownJar() {
        try {
            File f = new File(AttachCli.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (!f.isFile()) {
                throw new Failure("run the commands from the agent jar (java -jar yawl-metrics-agent.jar ...), not from " + f);
            }
            return f;
        } catch (java.net.URISyntaxException e) {
            throw new Failure("cannot locate the agent jar: " + e);
        }
    }

    static String describe(Properties p) {
        String state = p.getProperty(AgentProperties.STATE);
        if (state == null) {
            return "-";
        }
        if (AgentProperties.ATTACHED.equals(state)) {
            return "attached port=" + p.getProperty(AgentProperties.PORT, "?") + " (" + p.getProperty(AgentProperties.MODE, "?") + ")";
        }
        return state;
    }

    static String mainClass(String displayName) {
        if (displayName == null || displayName.isEmpty()) {
            return "?";
        }
        int space = displayName.indexOf(' ');
        return space < 0 ? displayName : displayName.substring(0, space);
    }

    static int feature(String specVersion) {
        if (specVersion == null) {
            return 0;
        }
        try {
            return specVersion.startsWith("1.") ? 8 : Integer.parseInt(specVersion.split("\\.")[0]);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static long pidOr0(String id) {
        Long p = pid(id);
        return p == null ? 0 : p;
    }

    /** One line saying why talking to {@code pid} failed, from whatever the attach API threw. */
    static String reason(String pid, Throwable t) {
        Throwable c = t;
        while ((c instanceof IllegalStateException || c instanceof InvocationTargetException || c instanceof Failure)
                && c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        String msg = String.valueOf(c.getMessage());
        if (c instanceof AttachNotSupportedException) {
            if (msg.contains("does not support the attach mechanism") || msg.contains("not attachable")) {
                return "attach is disabled in pid " + pid + " (started with -XX:+DisableAttachMechanism)";
            }
            return "pid " + pid + " does not accept attach (" + msg + ")";
        }
        if (c instanceof AgentLoadException || c instanceof AgentInitializationException) {
            return "the JVM refused the agent (" + c.getClass().getSimpleName() + ": " + msg + ")";
        }
        if (c instanceof IOException && (msg.contains("Permission denied") || msg.contains("well-known file") || msg.contains("owner"))) {
            return "pid " + pid + " belongs to another user; run the command as that user (" + msg + ")";
        }
        return c.getClass().getSimpleName() + ": " + msg;
    }

    /** A failed command: its message is the one line the user sees. */
    static final class Failure extends RuntimeException {
        Failure(String message) {
            super(message, null, false, false);
        }
    }

    /** An attach API connection to a checked pid. */
    private static final class Target implements AutoCloseable {
        final VirtualMachine vm;

        private Target(VirtualMachine vm) {
            this.vm = vm;
        }

        static Target open(String pid) {
            if (ProcessHandle.of(Long.parseLong(pid)).isEmpty()) {
                throw new Failure("no process with pid " + pid + "; nothing changed");
            }
            String owner = otherOwner(pid);
            if (owner != null) {
                throw new Failure("pid " + pid + " belongs to " + owner + "; run the command as that user; nothing changed");
            }
            if (!looksLikeJvm(pid)) {
                throw new Failure("pid " + pid + " is not a Java process; nothing changed");
            }
            try {
                return new Target(VirtualMachine.attach(pid));
            } catch (AttachNotSupportedException | IOException e) {
                throw new Failure(reason(pid, e) + "; nothing changed");
            }
        }

        /**
         * False only when Linux says for sure that no JVM is mapped into pid. The attach API of
         * older JDKs signals the target with SIGQUIT, which ends a process that is not a JVM.
         */
        static boolean looksLikeJvm(String pid) {
            Path maps = Path.of("/proc", pid, "maps");
            try (java.util.stream.Stream<String> lines = Files.lines(maps)) {
                return lines.anyMatch(l -> l.contains("/libjvm.so"));
            } catch (Exception | LinkageError e) {
                return true; // not Linux, or not readable: the attach API decides
            }
        }

        /** The owner of pid when it is not us (and we are not root), else null. Linux only; elsewhere the attach API says it. */
        private static String otherOwner(String pid) {
            try {
                Path proc = Path.of("/proc", pid);
                Object uid = Files.getAttribute(proc, "unix:uid");
                Object self = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
                if (uid.equals(self) || Integer.valueOf(0).equals(self)) {
                    return null;
                }
                return "uid " + uid + " (user " + Files.getOwner(proc).getName() + ")";
            } catch (Exception | LinkageError e) {
                return null;
            }
        }


        Properties agentProperties() {
            try {
                return vm.getAgentProperties();
            } catch (IOException e) {
                throw new Failure("reading the agent properties of pid " + vm.id() + " failed: " + e);
            }
        }

        Properties systemProperties() {
            try {
                return vm.getSystemProperties();
            } catch (IOException e) {
                throw new Failure("reading the system properties of pid " + vm.id() + " failed: " + e);
            }
        }

        @Override
        public void close() {
            try {
                vm.detach();
            } catch (IOException ignored) {
                // the connection is gone either way
            }
        }
    }
}
