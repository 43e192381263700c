package dev.yawlmetrics.ops.kubernetes;

import dev.yawlmetrics.testsupport.AgentJvm;
import dev.yawlmetrics.testsupport.Tools;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.yaml.snakeyaml.Yaml;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * deploy/kubernetes/, offline: Debian's {@code kubectl kustomize} renders it; every document is a
 * kind this project means to ship; the PrometheusRules are rules/*.yml exactly and pass promtool;
 * the PodMonitor, the Service and the Deployment patch agree with the agent's own defaults (read
 * from the built agent jar) and with each other; the dashboards ConfigMaps are dashboards/*.json
 * byte for byte; the Dockerfile puts the jar where the init container copies it from.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KubernetesManifestsTest {
    static final boolean UPDATE = Boolean.getBoolean("kubernetes.update");
    /** apiVersion/kind pairs the base may render. */
    static final Set<String> KNOWN = Set.of("apps/v1 Deployment", "v1 Service", "v1 ConfigMap",
            "monitoring.coreos.com/v1 PodMonitor", "monitoring.coreos.com/v1 PrometheusRule");

    List<Map<String, Object>> rendered;

    @BeforeAll
    void render() throws Exception {
        if (UPDATE) {
            System.err.println("KubernetesManifestsTest: regenerated " + KubernetesManifests.write());
        }
        Path kubectl = Tools.require("kubectl", "kubectl");
        Result r = run(kubectl.toString(), "kustomize", KubernetesManifests.base().toString());
        assertEquals(0, r.exit, "kubectl kustomize failed:\n" + r.output);
        rendered = documents(r.output);
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> documents(String yaml) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Object d : new Yaml().loadAll(yaml)) {
            if (d != null) {
                out.add((Map<String, Object>) d);
            }
        }
        return out;
    }

    record Result(int exit, String output) {}

    static Result run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("timed out: " + List.of(cmd));
        }
        return new Result(p.exitValue(), out);
    }

    @Test
    void generatedManifestsAreUpToDate() {
        assertEquals(KubernetesManifests.prometheusRules(), KubernetesManifests.read(KubernetesManifests.component().resolve(KubernetesManifests.RULES_FILE)),
                "prometheusrule.yaml is stale: regenerate with -Dkubernetes.update=true (README \"Deploy on Kubernetes\")");
        assertEquals(KubernetesManifests.dashboardConfigMaps(), KubernetesManifests.read(KubernetesManifests.component().resolve(KubernetesManifests.DASHBOARDS_FILE)),
                "grafana-dashboards.yaml is stale: regenerate with -Dkubernetes.update=true");
    }

    @Test
    void everyDocumentHasAKnownKindAndApiVersionAndTheNamespace() {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (Map<String, Object> d : rendered) {
            String key = d.get("apiVersion") + " " + d.get("kind");
            assertTrue(KNOWN.contains(key), "unknown document " + key + ": " + meta(d));
            assertEquals("yawl", meta(d).get("namespace"), key + " " + meta(d).get("name"));
            counts.merge(key, 1, Integer::sum);
        }
        assertEquals(1, counts.get("apps/v1 Deployment"));
        assertEquals(1, counts.get("v1 Service"));
        assertEquals(1, counts.get("monitoring.coreos.com/v1 PodMonitor"));
        assertEquals(KubernetesManifests.ruleFiles().size(), counts.get("monitoring.coreos.com/v1 PrometheusRule"));
        assertEquals(KubernetesManifests.dashboards().size(), counts.get("v1 ConfigMap"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void prometheusRuleGroupsAreTheRuleFilesAndPassPromtool() throws Exception {
        Path promtool = Tools.require("promtool", "prometheus");
        List<Path> files = KubernetesManifests.ruleFiles();
        assertTrue(files.size() >= 2, files.toString());
        for (Path file : files) {
            Map<String, Object> rule = only("PrometheusRule", KubernetesManifests.ruleName(file));
            Object groups = ((Map<String, Object>) rule.get("spec")).get("groups");
            Map<String, Object> shipped = new Yaml().load(KubernetesManifests.read(file));
            assertEquals(shipped.get("groups"), groups, "PrometheusRule " + KubernetesManifests.ruleName(file) + " differs from " + file);
            Path extracted = Files.createTempFile("prometheusrule-", ".yml");
            try {
                Files.writeString(extracted, new Yaml().dump(Map.of("groups", groups)));
                Result r = run(promtool.toString(), "check", "rules", extracted.toString());
                assertEquals(0, r.exit, "promtool on the rendered " + KubernetesManifests.ruleName(file) + ":\n" + r.output);
            } finally {
                Files.deleteIfExists(extracted);
            }
        }
    }

    /** The agent's defaults, read from the built jar: what the manifests must agree with. */
    static String agentDefault(String setting, String accessor) throws Exception {
        try (URLClassLoader jar = new URLClassLoader(new URL[] {AgentJvm.agentJar().toUri().toURL()}, null)) {
            Class<?> settings = Class.forName("dev.yawlmetrics.agent.config.Setting", false, jar);
            Object value = settings.getField(setting).get(null);
            return String.valueOf(settings.getMethod(accessor).invoke(value)); // typed defaults (Setting<T>)
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void podMonitorAndServiceReachTheAgentsPortAndPath() throws Exception {
        int agentPort = Integer.parseInt(agentDefault("PORT", "defaultValue"));
        String agentPath = agentDefault("PATH", "defaultValue");
        Map<String, Object> engine = engineContainer();
        Map<String, Object> podLabels = podTemplateLabels();

        Map<String, Object> podMonitor = only("PodMonitor", "yawl-engine");
        Map<String, Object> spec = (Map<String, Object>) podMonitor.get("spec");
        Map<String, Object> endpoint = ((List<Map<String, Object>>) spec.get("podMetricsEndpoints")).get(0);
        assertEquals(agentPath, endpoint.get("path"), "PodMonitor path vs the agent's default");
        Map<String, Object> port = namedPort(engine, (String) endpoint.get("port"));
        assertEquals(agentPort, port.get("containerPort"), "PodMonitor port '" + endpoint.get("port") + "' vs the agent's default port");
        assertTrue(podLabels.entrySet().containsAll(((Map<String, Object>) ((Map<String, Object>) spec.get("selector")).get("matchLabels")).entrySet()),
                "PodMonitor selects the engine pods: " + spec.get("selector") + " vs " + podLabels);
        // The rules and dashboards expect job="yawl-engine" (YawlMetricsAgentDown: up{job="yawl-engine"}).
        assertEquals("yawl-engine", podLabels.get(spec.get("jobLabel")), "job label taken from pod label " + spec.get("jobLabel"));
        assertEquals(Boolean.TRUE, endpoint.get("honorLabels"), "the agent's own pod label must not become exported_pod");

        Map<String, Object> service = only("Service", "yawl-engine-metrics");
        Map<String, Object> svc = (Map<String, Object>) service.get("spec");
        assertEquals("None", svc.get("clusterIP"), "headless: one DNS record per pod");
        assertTrue(podLabels.entrySet().containsAll(((Map<String, Object>) svc.get("selector")).entrySet()));
        Map<String, Object> svcPort = ((List<Map<String, Object>>) svc.get("ports")).get(0);
        assertEquals(agentPort, svcPort.get("port"));
        assertEquals(port.get("name"), svcPort.get("targetPort"));
        // rules/prometheus.yml (no Operator) finds the pods through this Service's DNS name.
        assertTrue(KubernetesManifests.read(KubernetesManifests.root().resolve("rules/prometheus.yml"))
                .contains("yawl-engine-metrics.yawl.svc.cluster.local"), "rules/prometheus.yml dns_sd name");
    }

    @Test
    @SuppressWarnings("unchecked")
    void deploymentPatchAttachesTheAgentFromTheInitContainersVolumeAndTagsThePod() throws Exception {
        Map<String, Object> podSpec = podSpec();
        Map<String, Object> engine = engineContainer();
        assertEquals("yawlfoundation/yawl:6.0", engine.get("image"), "the engine container keeps its own image");
        List<Map<String, Object>> env = (List<Map<String, Object>>) engine.get("env");
        List<String> names = env.stream().map(e -> (String) e.get("name")).toList();

        Map<String, Object> podName = env.get(names.indexOf("POD_NAME"));
        assertEquals("metadata.name", ((Map<String, Object>) ((Map<String, Object>) podName.get("valueFrom")).get("fieldRef")).get("fieldPath"));
        String tagsVar = agentDefault("TAGS", "envName");
        int tags = names.indexOf(tagsVar);
        assertTrue(tags > names.indexOf("POD_NAME"), "$(POD_NAME) expands only when defined earlier: " + names);
        assertEquals("pod=$(POD_NAME)", env.get(tags).get("value"));

        String toolOptions = (String) env.get(names.indexOf("JAVA_TOOL_OPTIONS")).get("value");
        Matcher javaagent = Pattern.compile("-javaagent:(\\S+\\.jar)").matcher(toolOptions);
        assertTrue(javaagent.find(), toolOptions);
        String jarInEngine = javaagent.group(1);

        Map<String, Object> init = ((List<Map<String, Object>>) podSpec.get("initContainers")).get(0);
        String volume = mountOf(init, jarInEngine);
        assertEquals(volume, mountOf(engine, jarInEngine), "init container and engine share the jar's volume");
        Map<String, Object> vol = ((List<Map<String, Object>>) podSpec.get("volumes")).stream()
                .filter(v -> volume.equals(v.get("name"))).findFirst().orElseThrow();
        assertTrue(vol.containsKey("emptyDir"), vol.toString());
        assertTrue(engineMount(engine, volume).get("readOnly") == Boolean.TRUE, "the engine mounts the agent read-only");

        // The image's entrypoint copies the jar to exactly where JAVA_TOOL_OPTIONS points.
        String dockerfile = Files.readString(KubernetesManifests.base().resolve("Dockerfile"));
        Matcher copy = Pattern.compile("(?m)^COPY (\\S+) (\\S+)$").matcher(dockerfile);
        assertTrue(copy.find(), dockerfile);
        assertTrue(AgentJvm.agentJar().endsWith(copy.group(1)), "Dockerfile copies the built jar " + copy.group(1));
        Matcher entry = Pattern.compile("(?m)^ENTRYPOINT \\[\"cp\", \"(\\S+)\", \"(\\S+)\"\\]$").matcher(dockerfile);
        assertTrue(entry.find(), dockerfile);
        assertEquals(copy.group(2), entry.group(1));
        assertEquals(jarInEngine, entry.group(2));
        assertEquals(init.get("image").toString().split(":")[0], "yawl-metrics-agent", "the init container runs the agent image");
    }

    @Test
    @SuppressWarnings("unchecked")
    void dashboardConfigMapsHoldTheDashboardsByteForByteForGrafanasSidecar() {
        for (Path d : KubernetesManifests.dashboards()) {
            Map<String, Object> cm = only("ConfigMap", KubernetesManifests.configMapName(d));
            assertEquals("1", ((Map<String, Object>) meta(cm).get("labels")).get("grafana_dashboard"));
            Map<String, Object> data = (Map<String, Object>) cm.get("data");
            assertEquals(Set.of(d.getFileName().toString()), data.keySet());
            assertEquals(KubernetesManifests.read(d), data.get(d.getFileName().toString()), d + " differs in its ConfigMap");
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> meta(Map<String, Object> doc) {
        return (Map<String, Object>) doc.get("metadata");
    }

    Map<String, Object> only(String kind, String name) {
        List<Map<String, Object>> found = rendered.stream().filter(d -> kind.equals(d.get("kind")) && name.equals(meta(d).get("name"))).toList();
        assertEquals(1, found.size(), kind + "/" + name + " in the rendered base");
        return found.get(0);
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> podSpec() {
        Map<String, Object> deployment = only("Deployment", "yawl-engine");
        Map<String, Object> template = (Map<String, Object>) ((Map<String, Object>) deployment.get("spec")).get("template");
        return (Map<String, Object>) template.get("spec");
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> podTemplateLabels() {
        Map<String, Object> deployment = only("Deployment", "yawl-engine");
        Map<String, Object> template = (Map<String, Object>) ((Map<String, Object>) deployment.get("spec")).get("template");
        return (Map<String, Object>) ((Map<String, Object>) template.get("metadata")).get("labels");
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> engineContainer() {
        List<Map<String, Object>> containers = (List<Map<String, Object>>) podSpec().get("containers");
        assertEquals(1, containers.size(), "the patch merges into the engine container instead of adding one: " + containers);
        return containers.get(0);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> namedPort(Map<String, Object> container, String name) {
        return ((List<Map<String, Object>>) container.get("ports")).stream().filter(p -> name.equals(p.get("name")))
                .findFirst().orElseThrow(() -> new AssertionError("no port named " + name + " in " + container.get("ports")));
    }

    /** The volume mounted at the directory holding {@code file}. */
    @SuppressWarnings("unchecked")
    static String mountOf(Map<String, Object> container, String file) {
        for (Map<String, Object> m : (List<Map<String, Object>>) container.get("volumeMounts")) {
            if (file.startsWith(m.get("mountPath") + "/")) {
                return (String) m.get("name");
            }
        }
        throw new AssertionError(container.get("name") + " mounts nothing at " + file);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> engineMount(Map<String, Object> container, String volume) {
        return ((List<Map<String, Object>>) container.get("volumeMounts")).stream().filter(m -> volume.equals(m.get("name")))
                .findFirst().orElseThrow();
    }
}
