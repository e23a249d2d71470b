package dev.livecounter.broadcaster.tables;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.livecounter.broadcaster.protocol.ClientMessage;
import dev.livecounter.broadcaster.protocol.ClientMessages;
import dev.livecounter.broadcaster.stream.LocalStreams;
import dev.livecounter.broadcaster.tables.scope.TokenSettings;
import dev.livecounter.broadcaster.tables.scope.TokenVerifier;
import dev.livecounter.common.dynamodb.TableSettings;
import dev.livecounter.common.security.InternalSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;

/**
 * Every way a subscribe is refused, each with its code, over a real catalog: the tables exist in DynamoDB Local and
 * their keys are read from it, as on a replica ({@code pk}, and {@code sk} where the table has a sort key).
 */
class SubscribeChecksTest {

    private static final String RUN = "sc" + UUID.randomUUID().toString().substring(0, 8) + "-";
    private static final String ORDERS = RUN + "orders";
    private static final String FLAT = RUN + "flat";
    private static final String PRIVATE = RUN + "private";
    private static final String MISSING = RUN + "missing";
    private static final String SECRET = "a-secret-of-at-least-thirty-two-bytes!";

    private static SubscribeChecks checks;

    @BeforeAll
    static void tables() {
        LocalStreams.createTable(ORDERS, true, StreamViewType.NEW_AND_OLD_IMAGES);
        LocalStreams.createTable(FLAT, false, StreamViewType.NEW_AND_OLD_IMAGES);
        LocalStreams.createTable(PRIVATE, true, StreamViewType.NEW_AND_OLD_IMAGES);
        List<StreamedTable> streamed = List.of(
                new StreamedTable(ORDERS, List.of("status", "total"), StreamedTable.Access.PUBLIC, 100, false, false),
                new StreamedTable(FLAT, List.of("status"), StreamedTable.Access.PUBLIC, 100, false, false),
                new StreamedTable(PRIVATE, List.of("status", "total"), StreamedTable.Access.TOKEN, 100, false, false),
                new StreamedTable(MISSING, List.of(), StreamedTable.Access.PUBLIC, 100, false, false));
        TableCatalog catalog = new TableCatalog(streamed, new TableSettings(RUN, false), LocalStreams.dynamoDb());
        TokenVerifier tokens = new TokenVerifier(
                new TokenSettings(SECRET, null, null, null, Duration.ofSeconds(30), Duration.ofMinutes(5), 4096),
                new InternalSettings(null, List.of(), Duration.ofSeconds(30), 10, false, false));
        checks = new SubscribeChecks(catalog, tokens);
    }

    private static SubscribeChecks.Checked check(String json) throws ClientMessages.Rejected {
        return checks.check((ClientMessage.Subscribe) ClientMessages.decode(
                "{\"action\":\"subscribe\"," + json.replace("ORDERS", ORDERS).replace("FLAT", FLAT)
                        .replace("PRIVATE", PRIVATE).replace("MISSING", MISSING) + "}"));
    }

    /** The code a subscribe is refused with. */
    private static String refusal(String json) {
        return assertThrows(ClientMessages.Rejected.class, () -> check(json), json).code().code();
    }

    private static String token(Map<String, Object> tables, Instant expires) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), new JWTClaimsSet.Builder()
                    .subject("alice").expirationTime(Date.from(expires)).claim("tables", tables).build());
            jwt.sign(new MACSigner(SECRET.getBytes(UTF_8)));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String token(Map<String, Object> scope) {
        return token(Map.of(PRIVATE, scope), Instant.now().plusSeconds(300));
    }

    @Test
    void aGoodSubscribeBecomesItsSubscription() throws ClientMessages.Rejected {
        SubscribeChecks.Checked checked = check("\"table\":\"ORDERS\",\"partition\":{\"pk\":\"ada\"},\"prefix\":\"2026-\","
                + "\"filter\":\"#s = :v\",\"names\":{\"#s\":\"status\"},\"values\":{\":v\":\"shipped\"},\"attributes\":[\"total\"]");
        assertEquals(Subscription.Kind.PARTITION, checked.subscription().kind());
        assertEquals("2026-", checked.subscription().prefix());
        assertEquals(Set.of("pk", "sk", "total"), checked.subscription().projection(), "the keys always come along");
        assertNull(checked.expires(), "no token, no end");
        assertEquals(Set.of("pk", "sk", "status", "total"),
                check("\"table\":\"ORDERS\"").subscription().projection(), "no projection: every allowed attribute");
    }

    @Test
    void aTableThatIsNotStreamedOrNotThereYet() {
        assertEquals("bad_request", refusal("\"partition\":{\"pk\":\"ada\"}"));
        assertEquals("unknown_table", refusal("\"table\":\"" + RUN + "counters\""));
        assertEquals("unknown_table", refusal("\"table\":\"nope\""));
        assertEquals("unavailable", refusal("\"table\":\"MISSING\""));
    }

    @Test
    void aKeyOrPartitionNamesExactlyTheTablesKeysAsStringsOrNumbers() {
        assertEquals("bad_attribute", refusal("\"table\":\"ORDERS\",\"key\":{\"pk\":\"ada\"}"));
        assertEquals("bad_attribute", refusal("\"table\":\"ORDERS\",\"key\":{\"pk\":\"ada\",\"sk\":\"o1\",\"status\":\"x\"}"));
        assertEquals("bad_attribute", refusal("\"table\":\"ORDERS\",\"partition\":{\"pk\":\"ada\",\"sk\":\"o1\"}"));
        assertEquals("bad_attribute", refusal("\"table\":\"ORDERS\",\"partition\":{\"customer\":\"ada\"}"));
        assertEquals("bad_request", refusal("\"table\":\"ORDERS\",\"partition\":{\"pk\":true}"));
        assertEquals("bad_request", refusal("\"table\":\"ORDERS\",\"key\":{\"pk\":\"a\",\"sk\":\"b\"},\"partition\":{\"pk\":\"a\"}"));
    }

    @Test
    void aPrefixGoesWithAPartitionOfATableWithASortKey() {
        assertEquals("bad_request", refusal("\"table\":\"ORDERS\",\"key\":{\"pk\":\"a\",\"sk\":\"b\"},\"prefix\":\"x\""));
        assertEquals("bad_request", refusal("\"table\":\"ORDERS\",\"prefix\":\"x\""));
        assertEquals("bad_request", refusal("\"table\":\"FLAT\",\"partition\":{\"pk\":\"a\"},\"prefix\":\"x\""));
    }

    @Test
    void aFilterReadsOnlyAllowedAttributesAndParses() {
        assertEquals("bad_filter", refusal("\"table\":\"ORDERS\",\"filter\":\"card = :v\",\"values\":{\":v\":\"4111\"}"));
        assertEquals("bad_filter", refusal("\"table\":\"ORDERS\",\"filter\":\"status = \""));
        assertEquals("bad_filter", refusal("\"table\":\"ORDERS\",\"values\":{\":v\":\"x\"}"));
        assertEquals("bad_filter", refusal("\"table\":\"ORDERS\",\"filter\":\"status = :v\""));
    }

    @Test
    void aProjectionNamesOnlyAllowedAttributes() {
        assertEquals("bad_attribute", refusal("\"table\":\"ORDERS\",\"attributes\":[\"card\"]"));
        StringBuilder many = new StringBuilder("\"table\":\"ORDERS\",\"attributes\":[\"total\"");
        for (int i = 0; i < 100; i++) {
            many.append(",\"total\"");
        }
        assertEquals("bad_attribute", refusal(many.append(']').toString()));
    }

    @Test
    void aTokenTableNeedsATokenThatNamesItAndTheSubscribedPartition() throws ClientMessages.Rejected {
        assertEquals("not_permitted", refusal("\"table\":\"PRIVATE\""));
        assertEquals("bad_token", refusal("\"table\":\"PRIVATE\",\"token\":\"not.a.jwt\""));
        String other = token(Map.of(ORDERS, Map.of()), Instant.now().plusSeconds(300));
        assertEquals("not_permitted", refusal("\"table\":\"PRIVATE\",\"token\":\"" + other + "\""));
        String expired = token(Map.of(PRIVATE, Map.of()), Instant.now().minusSeconds(300));
        assertEquals("token_expired", refusal("\"table\":\"PRIVATE\",\"token\":\"" + expired + "\""));

        String ada = token(Map.of("keys", List.of("ada")));
        assertEquals("not_permitted", refusal("\"table\":\"PRIVATE\",\"token\":\"" + ada + "\""), "not the whole table");
        assertEquals("not_permitted", refusal("\"table\":\"PRIVATE\",\"partition\":{\"pk\":\"bob\"},\"token\":\"" + ada + "\""));
        SubscribeChecks.Checked checked = check("\"table\":\"PRIVATE\",\"partition\":{\"pk\":\"ada\"},\"token\":\"" + ada + "\"");
        assertNotNull(checked.expires(), "the subscription ends with its token");
    }

    @Test
    void aTokenNarrowsWhatMayBeReadFilteredOrProjected() throws ClientMessages.Rejected {
        String statusOnly = token(Map.of("keys", List.of("ada"), "attributes", List.of("status")));
        String subscribe = "\"table\":\"PRIVATE\",\"partition\":{\"pk\":\"ada\"},\"token\":\"" + statusOnly + "\"";
        assertEquals(Set.of("pk", "sk", "status"), check(subscribe).subscription().projection());
        assertEquals("not_permitted", refusal(subscribe + ",\"attributes\":[\"total\"]"), "allowed by the table, not the token");
        assertEquals("bad_filter", refusal(subscribe + ",\"filter\":\"total > :v\",\"values\":{\":v\":1}"));
    }
}
