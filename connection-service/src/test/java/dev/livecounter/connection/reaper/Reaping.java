package dev.livecounter.connection.reaper;

import dev.livecounter.common.metrics.MetricNames;
import dev.livecounter.common.model.CounterSnapshot;
import dev.livecounter.common.replicas.ReplicaItems;
import dev.livecounter.connection.Fixture;
import dev.livecounter.connection.connect.ConnectCall;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** The reaper's and the sweep's world over DynamoDB Local: replicas that beat, their sockets, the posts of counters. */
final class Reaping {

    final Fixture f = new Fixture();
    final ReplicaItems replicas = new ReplicaItems(f.local.dynamoDb, f.local.tables);
    final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    /** Every counter posted to the pages, in order. */
    final List<CounterSnapshot> posted = new ArrayList<>();
    final ReplicaConnections connections =
            new ReplicaConnections(f.reads, f.disconnects, f.counters, posted::add, meters);

    /** A heartbeat of {@code replicaId} at {@code at}. */
    void beat(String replicaId, Instant at) {
        replicas.beat(replicaId, URI.create("http://" + replicaId + ":8080"), at, Duration.ofDays(1));
    }

    /** {@code sockets} new sockets on {@code replicaId}, on {@code counter}; their connection ids. */
    List<String> open(String replicaId, String counter, int sockets) {
        List<ConnectCall> calls = new ArrayList<>();
        for (int i = 0; i < sockets; i++) {
            calls.add(Fixture.onReplica(replicaId, counter, UUID.randomUUID().toString(), null));
        }
        f.connects.connect(counter, calls);
        return calls.stream().map(ConnectCall::connectionId).toList();
    }

    /** How many scans of {@code task} ended with {@code outcome}. */
    double runs(String task, String outcome) {
        return meters.get(MetricNames.REAPER_RUNS)
                .tag(MetricNames.TASK, task)
                .tag(MetricNames.OUTCOME, outcome)
                .counter().count();
    }
}
