package dev.livecounter.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.livecounter.local.ServiceProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Counts that heal: connection-service's reconciler compares each counter's {@code online} with its live connection
 * items (every {@link LiveSystem#RECONCILE_PERIOD} here) and corrects a drift no write explains, and only that: a
 * counter whose connections keep changing is never touched.
 */
@ExtendWith(LiveSystem.Running.class)
class CountsThatHealIT {

    /** A correction needs the counter seen quiet on two rounds, then the write: three periods, and room for load. */
    private static final Duration HEALED_WITHIN = LiveSystem.RECONCILE_PERIOD.multipliedBy(3).plusSeconds(20);

    @Test
    void aConnectionItemDeletedByHandLeavesOnlineWithinTheReconcilersPeriod() {
        String counter = LiveSystem.uniqueCounter("healed");
        List<PageClient> pages = new ArrayList<>();
        try (RawDynamoDb db = new RawDynamoDb(LiveSystem.get())) {
            PageClient watcher = PageClient.open(LiveSystem.replica(0), counter, null);
            pages.add(watcher);
            pages.add(PageClient.open(LiveSystem.replica(1), counter, null));
            pages.add(PageClient.open(LiveSystem.replica(0), counter, null));
            watcher.awaitCount(c -> c.online() == 3);

            // an operator (or DynamoDB's TTL) removes one live connection item: nothing writes the counter
            Map<String, AttributeValue> live = db.client().scanPaginator(r -> r.tableName(db.table("connections"))
                            .consistentRead(true)
                            .filterExpression("#counter = :counter AND attribute_exists(#replica)")
                            .expressionAttributeNames(Map.of("#counter", "counter", "#replica", "replicaId"))
                            .expressionAttributeValues(Map.of(":counter", AttributeValue.fromS(counter))))
                    .items().stream().findFirst().orElseThrow();
            db.client().deleteItem(r -> r.tableName(db.table("connections"))
                    .key(Map.of("connectionId", live.get("connectionId"))));

            PageClient.Count healed = watcher.awaitCount("online corrected to the live connections", HEALED_WITHIN,
                    c -> c.online() == 2);
            assertEquals(3, healed.visits(), "visits stay");
            assertEquals(List.of(), watcher.versionViolations());
            assertEquals(1, corrections(counter).size(), "one correction over both connection-services, one log line: " + corrections(counter));
        } finally {
            pages.forEach(PageClient::close);
        }
    }

    @Test
    void itNeverFightsConnectsAndDisconnectsInFlight() {
        String counter = LiveSystem.uniqueCounter("churn");
        PageClient watcher = PageClient.open(LiveSystem.replica(0), counter, null);
        List<PageClient> open = new ArrayList<>();
        try {
            watcher.awaitCount(c -> c.online() == 1);
            double roundsBefore = rounds();
            ThreadLocalRandom random = ThreadLocalRandom.current();
            long churnUntil = System.nanoTime() + LiveSystem.RECONCILE_PERIOD.multipliedBy(6).toNanos();
            long churnAtMost = churnUntil + HEALED_WITHIN.toNanos();
            int opened = 0;
            int closed = 0;
            // at least six periods, and until the reconciler has made four rounds meanwhile (on a loaded machine)
            while (System.nanoTime() < churnUntil
                    || (rounds() < roundsBefore + 4 && System.nanoTime() < churnAtMost)) {
                if (open.isEmpty() || (open.size() < 12 && random.nextBoolean())) {
                    open.add(PageClient.open(LiveSystem.replica(random.nextInt(2)), counter, null));
                    opened++;
                } else {
                    open.remove(random.nextInt(open.size())).close();
                    closed++;
                }
            }
            double roundsDuringChurn = rounds() - roundsBefore;
            int expected = 1 + open.size();
            watcher.awaitCount("online is the sockets open, exactly", c -> c.online() == expected);
            System.out.printf("[counts-heal] %d opened, %d closed, %.0f reconciler rounds meanwhile%n",
                    opened, closed, roundsDuringChurn);
            assertTrue(opened > 20 && closed > 10, "changes kept flowing: " + opened + " opened, " + closed + " closed");
            assertTrue(roundsDuringChurn >= 4, "the reconciler ran while they flowed: " + roundsDuringChurn + " rounds");
            assertEquals(List.of(), corrections(counter), "no correction of a counter whose connections kept changing");

            // and quiet for two more rounds: still nothing to correct
            double quietFrom = rounds();
            Awaitility.await("two rounds on the quiet counter").atMost(HEALED_WITHIN)
                    .until(() -> rounds() >= quietFrom + 2);
            assertEquals(expected, watcher.latest().online());
            assertEquals(List.of(), corrections(counter));
        } finally {
            open.forEach(PageClient::close);
            watcher.close();
        }
    }

    /**
     * The log lines of corrections of this counter, from every connection-service: both run the reconciler, and the
     * version condition lets only one of them correct a drift.
     */
    private static List<String> corrections(String counter) {
        List<String> corrections = new ArrayList<>();
        for (ServiceProcess service : LiveSystem.get().connectionServices()) {
            Path log = service.process().log();
            try (var lines = Files.lines(log)) {
                lines.filter(l -> l.contains("Corrected online of " + counter + " ")).forEach(corrections::add);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return corrections;
    }

    private static final Pattern ROUNDS = Pattern.compile("(?m)^livecounter_reconcile_rounds_total(?:\\{[^}]*})? ([0-9.eE+]+)$");

    /** The reconciler's rounds so far (its Prometheus counter). */
    private static double rounds() {
        URI prometheus = URI.create(LiveSystem.get().connectionService().baseUri() + "/prometheus");
        String body = LiveSystem.send(HttpRequest.newBuilder(prometheus).build()).body();
        Matcher m = ROUNDS.matcher(body);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }
}
