package dev.yawlmetrics.it.endpoint;

import dev.yawlmetrics.fixtures.hosts.CoreHost;
import dev.yawlmetrics.testsupport.AgentJvm;
import dev.yawlmetrics.testsupport.FreePorts;
import dev.yawlmetrics.testsupport.Scrape;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A non-ASCII character in the agent argument (issue 13, item 5). The JVM hands it to the agent
 * one char per UTF-8 byte and cut short by the difference, so before the fix
 * {@code tags=e=🚀,host=127.0.0.1,port=NNNNN} bound port NN without a word. Here the real JVM gets
 * the real bytes, from the command line and from JAVA_TOOL_OPTIONS, in the C and the UTF-8 locale:
 * the endpoint binds the port that was written, the tag keeps its value, one WARN says what happened.
 */
class NonAsciiAgentArgumentTest {
    private static final String ROCKET = "$(printf '\\360\\237\\232\\200')";

    @ParameterizedTest(name = "{0}, LC_ALL={1}")
    @CsvSource({"command line, C", "command line, C.UTF-8", "JAVA_TOOL_OPTIONS, C", "JAVA_TOOL_OPTIONS, C.UTF-8"})
    void theSettingAfterTheNonAsciiValueIsNeitherShiftedNorCut(String where, String locale) throws Exception {
        int port = FreePorts.next();
        String argument = "tags=e=" + ROCKET + ",host=127.0.0.1,port=" + port;
        String script = where.equals("command line")
                ? "exec \"$0\" \"-javaagent:$1=" + argument + "\" -cp \"$2\" \"$3\""
                : "JAVA_TOOL_OPTIONS=\"-javaagent:$1=" + argument + "\"; export JAVA_TOOL_OPTIONS; exec \"$0\" -cp \"$2\" \"$3\"";
        try (AgentJvm jvm = AgentJvm.builder(CoreHost.class).env("LC_ALL", locale).env("LANG", locale)
                .startThroughShell(script).awaitReady()) {
            assertEquals(port, jvm.port(), "the port written after the non-ASCII value\n" + jvm.describe());
            Scrape s = jvm.scrape();
            assertEquals("\uD83D\uDE80", s.find("yawl_metrics_agent_info").get(0).labels().get("e"), s.text());
            long warnings = jvm.agentLog().stream()
                    .filter(l -> l.contains("WARN") && l.contains("non-ASCII characters") && l.contains("read from the command line as UTF-8"))
                    .count();
            assertEquals(1, warnings, jvm.describe());
        }
    }
}
