package dev.livecounter.broadcaster.stream;

import dev.livecounter.broadcaster.config.StreamEndpoint;
import dev.livecounter.common.dynamodb.DynamoDbClientTuning;
import dev.livecounter.common.dynamodb.DynamoDbSettings;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProviderChain;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.AwsRegionProviderChain;
import software.amazon.awssdk.services.cloudwatch.CloudWatchAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.StreamSpecification;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClientBuilder;

/**
 * The AWS clients the stream consumer works with: micronaut-aws's DynamoDB clients (the table's description;
 * KCL's lease table), and the two KCL needs that micronaut-aws does not make, built here with the same region,
 * credentials, endpoint and tuning.
 */
@Singleton
public final class StreamClients {

    private final DynamoDbClient dynamoDb;
    private final DynamoDbAsyncClient dynamoDbAsync;
    private final DynamoDbSettings dynamoDbSettings;
    private final AwsCredentialsProvider credentials;
    private final Region region;
    /** DynamoDB (Local) endpoint the streams client goes to as well; null: AWS's for the region. */
    @Nullable
    private final URI endpoint;

    @Inject
    StreamClients(DynamoDbClient dynamoDb, DynamoDbAsyncClient dynamoDbAsync, DynamoDbSettings dynamoDbSettings,
            AwsCredentialsProviderChain credentials, AwsRegionProviderChain regions, StreamEndpoint endpoint) {
        this(dynamoDb, dynamoDbAsync, dynamoDbSettings, credentials, regions.getRegion(), endpoint.endpointOverride());
    }

    StreamClients(DynamoDbClient dynamoDb, DynamoDbAsyncClient dynamoDbAsync, DynamoDbSettings dynamoDbSettings,
            AwsCredentialsProvider credentials, Region region, @Nullable URI endpoint) {
        this.dynamoDb = dynamoDb;
        this.dynamoDbAsync = dynamoDbAsync;
        this.dynamoDbSettings = dynamoDbSettings;
        this.credentials = credentials;
        this.region = region;
        this.endpoint = endpoint;
    }

    /** The region the streams are read in (on DynamoDB Local: the one the ARNs are rewritten to). */
    Region region() {
        return region;
    }

    /** The lease tables' client. */
    DynamoDbAsyncClient dynamoDbAsync() {
        return dynamoDbAsync;
    }

    /** A stream as the adapter reads it: through this client, under this ARN. */
    record Stream(DynamoDbStreamsClient client, String arn) {}

    /**
     * The stream of {@code table} now.
     *
     * @throws ResourceNotFoundException  the table does not exist (yet)
     * @throws IllegalStateException      it has no stream
     */
    String streamArn(String table) {
        String arn = dynamoDb.describeTable(r -> r.tableName(table)).table().latestStreamArn();
        if (arn == null) {
            throw new IllegalStateException("table " + table + " has no stream: enable NEW_AND_OLD_IMAGES");
        }
        return arn;
    }

    /**
     * The stream of a streamed application table, which must carry both images of every change (a page's view of
     * an item needs the new image; a removal or a change out of a filter needs the old one).
     *
     * @return the table's latest stream ARN
     * @throws ResourceNotFoundException the table does not exist (yet)
     * @throws IllegalStateException     it has no stream, or one without both images; the message names the table
     *                                   and the command that fixes it
     */
    public String requireFullImages(String table) {
        TableDescription description = dynamoDb.describeTable(r -> r.tableName(table)).table();
        StreamSpecification stream = description.streamSpecification();
        boolean enabled = stream != null && Boolean.TRUE.equals(stream.streamEnabled());
        String arn = description.latestStreamArn();
        if (!enabled || arn == null) {
            throw new IllegalStateException("Streamed table " + table + " has no stream (livecounter.streamed-tables."
                    + table + "). Enable one with both images: aws dynamodb update-table --table-name " + table
                    + " --stream-specification StreamEnabled=true,StreamViewType=NEW_AND_OLD_IMAGES");
        }
        if (stream.streamViewType() != StreamViewType.NEW_AND_OLD_IMAGES) {
            throw new IllegalStateException("Streamed table " + table + "'s stream is " + stream.streamViewTypeAsString()
                    + ", it must be NEW_AND_OLD_IMAGES (livecounter.streamed-tables." + table + "). A stream's view"
                    + " type cannot be changed in place: aws dynamodb update-table --table-name " + table
                    + " --stream-specification StreamEnabled=false, then aws dynamodb update-table --table-name "
                    + table + " --stream-specification StreamEnabled=true,StreamViewType=NEW_AND_OLD_IMAGES");
        }
        return arn;
    }

    /**
     * A new streams client for the stream {@code arn}; on DynamoDB Local one that rewrites its region, and the ARN
     * as the adapter must then see it ({@link RegionRewritingStreamsClient}). The caller closes it.
     */
    Stream open(String arn) {
        DynamoDbStreamsClientBuilder builder = DynamoDbStreamsClient.builder()
                .region(region)
                .credentialsProvider(credentials)
                .overrideConfiguration(DynamoDbClientTuning.overrides(dynamoDbSettings));
        if (endpoint != null) {
            builder.endpointOverride(endpoint);
        }
        DynamoDbStreamsClient streams = builder.build();
        if (arn.contains(RegionRewritingStreamsClient.LOCAL)) {
            RegionRewritingStreamsClient local = new RegionRewritingStreamsClient(streams, region.id());
            return new Stream(local, local.toAdapter(arn));
        }
        return new Stream(streams, arn);
    }

    /** A new CloudWatch client, which KCL requires (its metrics are off); the caller closes it. */
    CloudWatchAsyncClient cloudWatch() {
        return CloudWatchAsyncClient.builder().region(region).credentialsProvider(credentials).build();
    }
}
