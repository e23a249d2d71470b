package dev.livecounter.system;

import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.PortBinding;
import com.github.dockerjava.api.model.Ports;
import dev.livecounter.helm.RenderedChart.Workload;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;

/**
 * A container started as a kubelet would start a rendered Deployment's pod, mapped onto Docker: the pod's and
 * container's securityContext (user and group, fsGroup as a supplementary group, read-only root filesystem,
 * dropped capabilities, no privilege escalation, the runtime's default seccomp profile), each {@code emptyDir}
 * mount as a tmpfs of its size limit, the memory limit, and the pod name as host name. A setting this mapping
 * does not know fails the test rather than being left out, so the chart cannot drift from what is tested.
 */
final class PodContainer {

    private static final Set<String> POD_KEYS = Set.of("runAsNonRoot", "runAsUser", "runAsGroup", "fsGroup", "seccompProfile");
    private static final Set<String> CONTAINER_KEYS =
            Set.of("runAsNonRoot", "runAsUser", "runAsGroup", "allowPrivilegeEscalation", "readOnlyRootFilesystem", "capabilities");

    private PodContainer() {}

    /**
     * The container of {@code workload}'s pod named {@code podName}, reachable in {@code network} under the
     * given aliases, its port {@code containerPort} published on 127.0.0.1:{@code hostPort} only.
     */
    @SuppressWarnings("resource")
    static GenericContainer<?> of(Workload workload, String image, String podName, Network network,
            Map<String, String> env, int containerPort, int hostPort, String... aliases) {
        Map<String, Object> pod = map(workload.podSpec().get("securityContext"));
        Map<String, Object> container = firstContainer(workload);
        Map<String, Object> security = map(container.get("securityContext"));
        requireKnown(pod, POD_KEYS, "pod securityContext");
        requireKnown(security, CONTAINER_KEYS, "container securityContext");

        Object uid = security.getOrDefault("runAsUser", pod.get("runAsUser"));
        Object gid = security.getOrDefault("runAsGroup", pod.get("runAsGroup"));
        boolean nonRoot = Boolean.TRUE.equals(security.getOrDefault("runAsNonRoot", pod.get("runAsNonRoot")));
        if (nonRoot && (uid == null || Integer.parseInt(uid.toString()) == 0)) {
            throw new AssertionError(workload.deployment() + ": runAsNonRoot needs a non-zero runAsUser here");
        }
        Object seccomp = map(pod.get("seccompProfile")).get("type");
        if (seccomp != null && !"RuntimeDefault".equals(seccomp)) {
            throw new AssertionError("seccomp profile not mapped onto Docker: " + seccomp);
        }
        Map<String, String> tmpfs = emptyDirsAsTmpfs(workload, container);
        String memory = (String) map(map(container.get("resources")).get("limits")).get("memory");

        return new GenericContainer<>(image)
                .withNetwork(network)
                .withNetworkAliases(aliases)
                .withEnv(env)
                .withTmpFs(tmpfs)
                .withCreateContainerCmdModifier(cmd -> {
                    cmd.withHostName(podName);
                    if (uid != null) {
                        cmd.withUser(uid + (gid == null ? "" : ":" + gid));
                    }
                    cmd.withExposedPorts(ExposedPort.tcp(containerPort));
                    HostConfig host = cmd.getHostConfig();
                    host.withPortBindings(new PortBinding(Ports.Binding.bindIpAndPort("127.0.0.1", hostPort),
                            ExposedPort.tcp(containerPort)));
                    if (pod.get("fsGroup") != null) {
                        host.withGroupAdd(List.of(pod.get("fsGroup").toString())); // as the kubelet adds it
                    }
                    host.withReadonlyRootfs(Boolean.TRUE.equals(security.get("readOnlyRootFilesystem")));
                    Map<String, Object> capabilities = map(security.get("capabilities"));
                    host.withCapDrop(capabilities(capabilities.get("drop")));
                    host.withCapAdd(capabilities(capabilities.get("add")));
                    if (Boolean.FALSE.equals(security.get("allowPrivilegeEscalation"))) {
                        host.withSecurityOpts(List.of("no-new-privileges"));
                    }
                    if (memory != null) {
                        long bytes = bytes(memory);
                        host.withMemory(bytes).withMemorySwap(bytes); // no swap, as on a node
                    }
                });
    }

    /** The user the pod's container runs as: the container's runAsUser, else the pod's. */
    static Object runAsUser(Workload workload) {
        return map(firstContainer(workload).get("securityContext"))
                .getOrDefault("runAsUser", map(workload.podSpec().get("securityContext")).get("runAsUser"));
    }

    /** The arguments the chart gives the container ({@code args}), or none. */
    @SuppressWarnings("unchecked")
    static List<String> args(Workload workload) {
        Object args = firstContainer(workload).get("args");
        return args == null ? List.of() : new ArrayList<>((List<String>) args);
    }

    /** The rendered probe {@code kind} ("startup", "readiness", "liveness"): its settings by name. */
    static Map<String, Object> probe(Workload workload, String kind) {
        return map(firstContainer(workload).get(kind + "Probe"));
    }

    /** A Kubernetes memory quantity (512Mi, 1Gi, 64M, 1000) in bytes. */
    static long bytes(String quantity) {
        Map<String, Long> units = Map.of("Ki", 1L << 10, "Mi", 1L << 20, "Gi", 1L << 30, "k", 1000L, "M", 1000_000L,
                "G", 1000_000_000L);
        for (Map.Entry<String, Long> unit : units.entrySet()) {
            if (quantity.endsWith(unit.getKey())) {
                return Long.parseLong(quantity.substring(0, quantity.length() - unit.getKey().length())) * unit.getValue();
            }
        }
        return Long.parseLong(quantity);
    }

    /** emptyDir volumes mounted by the container: tmpfs of the size limit, writable and executable as on a node. */
    @SuppressWarnings("unchecked")
    private static Map<String, String> emptyDirsAsTmpfs(Workload workload, Map<String, Object> container) {
        Map<String, Map<String, Object>> volumes = new HashMap<>();
        for (Map<String, Object> volume : (List<Map<String, Object>>) workload.podSpec().getOrDefault("volumes", List.of())) {
            volumes.put((String) volume.get("name"), volume);
        }
        Map<String, String> tmpfs = new HashMap<>();
        for (Map<String, Object> mount : (List<Map<String, Object>>) container.getOrDefault("volumeMounts", List.of())) {
            Map<String, Object> volume = volumes.get((String) mount.get("name"));
            if (volume == null || volume.get("emptyDir") == null) {
                throw new AssertionError("only emptyDir mounts are mapped onto Docker: " + mount);
            }
            Object limit = map(volume.get("emptyDir")).get("sizeLimit");
            // Docker's tmpfs default is noexec; an emptyDir is not, and Netty loads its native library from /tmp
            tmpfs.put((String) mount.get("mountPath"),
                    "rw,exec,nosuid,nodev,mode=1777" + (limit == null ? "" : ",size=" + bytes(limit.toString())));
        }
        return tmpfs;
    }

    @SuppressWarnings("unchecked")
    private static Capability[] capabilities(Object names) {
        return names == null
                ? new Capability[0]
                : ((List<String>) names).stream().map(Capability::valueOf).toArray(Capability[]::new);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> firstContainer(Workload workload) {
        return ((List<Map<String, Object>>) workload.podSpec().get("containers")).get(0);
    }

    private static void requireKnown(Map<String, Object> settings, Set<String> known, String what) {
        for (String key : settings.keySet()) {
            if (!known.contains(key)) {
                throw new AssertionError(what + "." + key + " is not mapped onto Docker by this test");
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return value == null ? Map.of() : (Map<String, Object>) value;
    }
}
