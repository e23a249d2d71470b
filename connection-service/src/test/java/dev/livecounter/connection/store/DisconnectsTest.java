package dev.livecounter.connection.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.livecounter.common.counters.CounterTable;
import dev.livecounter.common.model.DisconnectResult;
import dev.livecounter.common.model.LeaseRenewal.OpenSocket;
import dev.livecounter.connection.Fixture;
import dev.livecounter.connection.connect.ConnectCall;
import dev.livecounter.connection.connect.ConnectTransaction;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Disconnects against DynamoDB Local: each socket off its count once, in any order of calls. */
class DisconnectsTest {

    private final Fixture f = new Fixture();

    @Test
    void aBatchTakesItsLiveSocketsOffTheirCountersOnce() {
        ConnectCall a1 = Fixture.call("a", null);
        ConnectCall a2 = Fixture.call("a", null);
        ConnectCall b1 = Fixture.call("b", null);
        f.connects.connect("a", List.of(a1, a2));
        f.connects.connect("b", List.of(b1));
        String unknown = UUID.randomUUID().toString();

        List<DisconnectResult> results =
                f.disconnects.disconnect(List.of(a1.connectionId(), b1.connectionId(), unknown));

        assertEquals(new DisconnectResult(true, "a"), results.get(0));
        assertEquals(new DisconnectResult(true, "b"), results.get(1));
        assertFalse(results.get(2).removed());
        assertEquals(1, f.counters.read("a").online());
        assertEquals(0, f.counters.read("b").online());

        List<DisconnectResult> again = f.disconnects.disconnect(List.of(a1.connectionId(), b1.connectionId()));
        assertTrue(again.stream().noneMatch(DisconnectResult::removed), "a retried disconnect counts nothing");
        assertEquals(1, f.counters.read("a").online());
        assertEquals(2, f.counters.read("a").visits(), "visits stay");
    }

    @Test
    void aDisconnectBeforeItsConnectLeavesATombstoneTheConnectFinds() {
        ConnectCall late = Fixture.call("c", null);
        f.connects.connect("c", List.of(Fixture.call("c", null)));

        DisconnectResult first = f.disconnects.disconnect(late.connectionId());
        List<ConnectTransaction.Outcome> connect = f.connects.connect("c", List.of(late));

        assertFalse(first.removed());
        assertNull(first.counter());
        assertFalse(connect.get(0).registered(), "a socket already closed is not counted");
        assertEquals(1, f.counters.read("c").online());
    }

    @Test
    void aCounterDeletedUnderOpenSocketsIsNotRecreatedNorTakenBelowZero() {
        ConnectCall open = Fixture.call("d", null);
        f.connects.connect("d", List.of(open));
        f.local.dynamoDb.deleteItem(r -> r.tableName(f.local.tables.counters())
                .key(CounterTable.key("d")));

        List<DisconnectResult> results = f.disconnects.disconnect(List.of(open.connectionId()));

        assertTrue(results.get(0).removed(), "the connection is closed");
        assertEquals(0, f.counters.read("d").version(), "the counter stays deleted");
    }

    @Test
    void leasesRenewOnlyLiveConnectionsOfTheirReplica() {
        ConnectCall live = Fixture.call("e", null);
        ConnectCall closed = Fixture.call("e", null);
        f.connects.connect("e", List.of(live, closed));
        f.disconnects.disconnect(closed.connectionId());
        LeaseRenewer leases = new LeaseRenewer(f.local.dynamoDb, f.items, f.counters, Fixture.SETTINGS);

        int renewed = leases.renew("r1", List.of(
                socket(live), socket(closed), socket(Fixture.call("e", null))));

        assertEquals(1, renewed);
        assertEquals(0, leases.renew("r2", List.of(socket(live))), "another replica's socket");
    }

    private static OpenSocket socket(ConnectCall call) {
        return new OpenSocket(
                call.connectionId(), call.request().counter(), call.request().visitId());
    }
}
