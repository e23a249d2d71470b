package dev.livecounter.system;

import static dev.livecounter.system.PageClient.PLUS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.livecounter.helm.RenderedChart;
import dev.livecounter.local.DockerProbe;
import dev.livecounter.local.DynamoDbLocal;
import dev.livecounter.system.ContainerSystem.Pod;
import dev.livecounter.system.PageClient.Count;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.TestMethodOrder;
import org.testcontainers.containers.Container.ExecResult;

/**
 * The project's images, run as the chart runs them (see {@link ContainerSystem} and {@link PodContainer}): every pod
 * under the chart's security context answers the chart's probes; a press on one broadcaster reaches a page on the
 * other; {@code docker stop} of a broadcaster closes its pages with 1001 and deregisters them; {@code docker kill}
 * of the other has its sockets reaped exactly once ({@code docker stop} signals at once: the chart's preStop sleep
 * is the kubelet's part, not the image's). Skipped where Docker or the images are absent (build them with
 * {@code images/build-local.sh}), except in CI ({@code LIVECOUNTER_REQUIRE_DOCKER=true}).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ImagesIT {

    /** The reaper's replica timeout (10 s) plus its sweep, and a stream lease moving after a kill (about 25 s). */
    private static final Duration FAILOVER = Duration.ofSeconds(90);
    /** The first start of the stream consumer (an empty lease table) takes up to a minute. */
    private static final Duration STREAM = Duration.ofMinutes(3);

    private static ContainerSystem system;
    @RegisterExtension
    final OpenPages pages = new OpenPages();

    @BeforeAll
    static void startTheImages() {
        assumeImagesPresent();
        system = ContainerSystem.start();
    }

    /**
     * Skips the calling test class, with the reason, when there is no Docker engine or the images are not built;
     * with {@code LIVECOUNTER_REQUIRE_DOCKER=true} (CI) their absence fails it instead.
     */
    private static void assumeImagesPresent() {
        String reason = null;
        if (!DockerProbe.engineAnswers()) {
            reason = "no Docker engine answers on its local socket";
        } else if (!Boolean.parseBoolean(System.getenv("TESTCONTAINERS_RYUK_DISABLED"))) {
            reason = "TESTCONTAINERS_RYUK_DISABLED=true is not set (its image cannot be pulled offline)";
        } else {
            List<String> images = new ArrayList<>(List.of(DynamoDbLocal.IMAGE));
            RenderedChart.render(ContainerSystem.DEV_VALUES).workloads().values().stream()
                    .filter(w -> w.component().endsWith("-service"))
                    .forEach(w -> images.add(w.image()));
            List<String> missing = images.stream().filter(i -> !DockerProbe.imagePresent(i)).toList();
            if (!missing.isEmpty()) {
                reason = "images not built: " + missing + " (run images/build-local.sh)";
            }
        }
        if (reason != null && "true".equalsIgnoreCase(System.getenv("LIVECOUNTER_REQUIRE_DOCKER"))) {
            Assertions.fail(reason);
        }
        if (reason != null) {
            System.out.println("[images] ImagesIT skipped: " + reason); // the build's summary shows no reason
        }
        Assumptions.assumeTrue(reason == null, "images not run: " + reason);
    }

    @AfterAll
    static void stop() {
        if (system != null) {
            system.close();
        }
    }

    private PageClient open(String pod, String counter) {
        return pages.open(system.pod(pod).hostPort(), counter, null);
    }

    @Test
    @Order(1)
    void everyPodRunsUnderTheChartsSecurityContextAndAnswersTheChartsProbes() throws Exception {
        for (Pod pod : system.pods()) {
            pod.workload().probes().forEach((kind, probe) -> {
                if (probe.path() != null) {
                    assertEquals(200, ContainerSystem.status(pod.http(probe.path())), pod.name() + " " + kind + " probe");
                }
            });
            // the running process itself, as the kernel sees it
            String status = pod.container().execInContainer("cat", "/proc/1/status").getStdout();
            String uid = String.valueOf(PodContainer.runAsUser(pod.workload()));
            assertTrue(status.contains("\nUid:\t" + uid + "\t" + uid + "\t" + uid + "\t" + uid + "\n"),
                    pod.name() + " runs as the chart's user " + uid + ":\n" + status);
            assertTrue(status.contains("\nCapEff:\t0000000000000000\n"), pod.name() + " holds no capability:\n" + status);
            assertTrue(status.contains("\nNoNewPrivs:\t1\n"), pod.name() + " cannot gain privileges:\n" + status);
            ExecResult rootWrite = pod.container().execInContainer("touch", "/app/written-by-test");
            assertNotEquals(0, rootWrite.getExitCode(), pod.name() + " wrote to its root filesystem");
            assertTrue(rootWrite.getStderr().contains("Read-only file system"), rootWrite.getStderr());
            assertEquals(0, pod.container().execInContainer("touch", "/tmp/written-by-test").getExitCode(),
                    pod.name() + ": the chart's emptyDir at /tmp is writable");
            // the image alone, without the chart, runs as a non-root user too
            String imageUser = pod.container().getDockerClient().inspectImageCmd(pod.container().getDockerImageName())
                    .exec().getConfig().getUser();
            assertEquals("1000:1000", imageUser, pod.name() + "'s image user");
        }
    }

    @Test
    @Order(2)
    void aPressOnOneBroadcasterReachesAPageOnTheOther() {
        assertEquals(200, ContainerSystem.status(system.pod("broadcaster-service-0").http("/")), "the page");
        String counter = LiveSystem.uniqueCounter("images-loop");
        PageClient first = open("broadcaster-service-0", counter);
        PageClient second = open("broadcaster-service-1", counter);
        first.awaitCount("the other replica's socket", STREAM, c -> c.online() == 2);
        second.send(PLUS);
        first.awaitCount("a press on the other replica", STREAM, c -> c.value() == 1);
        first.send("{\"action\":\"minus\"}");
        Count back = second.awaitCount("a press the other way", STREAM, c -> c.value() == 0);
        assertEquals(2, back.visits());
        assertEquals(2, back.online());
    }

    @Test
    @Order(3)
    void stoppedBroadcasterClosesItsSocketsWith1001AndDeregistersThem() {
        String counter = LiveSystem.uniqueCounter("images-drain");
        PageClient watcher = open("broadcaster-service-0", counter);
        List<PageClient> leaving = List.of(
                open("broadcaster-service-1", counter), open("broadcaster-service-1", counter),
                open("broadcaster-service-1", counter));
        watcher.awaitCount("the other replica's sockets", STREAM, c -> c.online() == 4);

        system.dockerStop("broadcaster-service-1");

        for (PageClient page : leaving) {
            assertEquals(1001, page.closed().join(), "going away: the page reconnects elsewhere");
        }
        Count drained = watcher.awaitCount("the drained sockets deregistered", FAILOVER, c -> c.online() == 1);
        assertEquals(4, drained.visits());
        system.dockerStart("broadcaster-service-1");
    }

    @Test
    @Order(4)
    void killedBroadcastersSocketsAreReapedExactlyOnce() {
        system.dockerStart("broadcaster-service-1"); // in case the test before failed midway
        String counter = LiveSystem.uniqueCounter("images-kill");
        PageClient watcher = open("broadcaster-service-1", counter);
        for (int i = 0; i < 5; i++) {
            open("broadcaster-service-0", counter);
        }
        watcher.awaitCount("the other replica's sockets", STREAM, c -> c.online() == 6);

        system.dockerKill("broadcaster-service-0");

        Count reaped = watcher.awaitCount("the killed replica's 5 sockets reaped", FAILOVER, c -> c.online() == 1);
        assertEquals(6, reaped.visits(), "reaping takes sockets off, never visits");
        watcher.send(PLUS);
        Count after = watcher.awaitCount("updates flow after the failover", FAILOVER, c -> c.value() == 1);
        assertEquals(1, after.online(), "nothing reaped twice");
    }
}
