package dev.livecounter.broadcaster.stream;

import com.amazonaws.services.dynamodbv2.local.main.ServerRunner;
import com.amazonaws.services.dynamodbv2.local.server.DynamoDBProxyServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/**
 * DynamoDB Local as an HTTP server in the test JVM on a free port (KCL needs an async client and a streams client,
 * which the embedded mode does not give over HTTP), started once per JVM, and clients to it. Every client uses the
 * same fake key and region: without {@code -sharedDb} DynamoDB Local keeps tables per key and region.
 */
public final class LocalStreams {

    static final Region REGION = Region.US_EAST_1;
    static final AwsCredentialsProvider CREDENTIALS =
            StaticCredentialsProvider.create(AwsBasicCredentials.create("fake", "fake"));

    private static URI endpoint;
    private static DynamoDbClient client;

    private LocalStreams() {}

    static synchronized URI endpoint() {
        if (endpoint == null) {
            try {
                int port;
                try (ServerSocket socket = new ServerSocket(0)) {
                    port = socket.getLocalPort();
                }
                // its threads are not daemons: surefire's fork ends with System.exit, so they hold nothing
                DynamoDBProxyServer server = ServerRunner.createServerFromCommandLineArgs(
                        new String[] {"-inMemory", "-port", Integer.toString(port), "-disableTelemetry"});
                server.start();
                endpoint = URI.create("http://127.0.0.1:" + port);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            } catch (Exception e) {
                throw new IllegalStateException("could not start DynamoDB Local", e);
            }
        }
        return endpoint;
    }

    public static synchronized DynamoDbClient dynamoDb() {
        if (client == null) {
            client = DynamoDbClient.builder().endpointOverride(endpoint()).region(REGION).credentialsProvider(CREDENTIALS).build();
        }
        return client;
    }

    static DynamoDbAsyncClient dynamoDbAsync() {
        return DynamoDbAsyncClient.builder().endpointOverride(endpoint()).region(REGION).credentialsProvider(CREDENTIALS).build();
    }

    static DynamoDbStreamsClient streams() {
        return DynamoDbStreamsClient.builder().endpointOverride(endpoint()).region(REGION).credentialsProvider(CREDENTIALS).build();
    }

    /** A table keyed by {@code pk} (S), optionally sorted by {@code sk} (S), with a stream of {@code view}. */
    public static void createTable(String name, boolean sortKey, StreamViewType view) {
        dynamoDb().createTable(r -> {
            r.tableName(name).billingMode(BillingMode.PAY_PER_REQUEST);
            if (sortKey) {
                r.attributeDefinitions(
                                AttributeDefinition.builder().attributeName("pk").attributeType(ScalarAttributeType.S).build(),
                                AttributeDefinition.builder().attributeName("sk").attributeType(ScalarAttributeType.S).build())
                        .keySchema(
                                KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build(),
                                KeySchemaElement.builder().attributeName("sk").keyType(KeyType.RANGE).build());
            } else {
                r.attributeDefinitions(AttributeDefinition.builder().attributeName("pk").attributeType(ScalarAttributeType.S).build())
                        .keySchema(KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build());
            }
            if (view != null) {
                r.streamSpecification(s -> s.streamEnabled(true).streamViewType(view));
            }
        });
    }
}
