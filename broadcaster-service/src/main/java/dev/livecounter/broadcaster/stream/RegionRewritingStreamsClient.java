package dev.livecounter.broadcaster.stream;

import software.amazon.awssdk.services.dynamodb.model.DescribeStreamRequest;
import software.amazon.awssdk.services.dynamodb.model.DescribeStreamResponse;
import software.amazon.awssdk.services.dynamodb.model.GetRecordsRequest;
import software.amazon.awssdk.services.dynamodb.model.GetRecordsResponse;
import software.amazon.awssdk.services.dynamodb.model.GetShardIteratorRequest;
import software.amazon.awssdk.services.dynamodb.model.GetShardIteratorResponse;
import software.amazon.awssdk.services.dynamodb.model.ListStreamsRequest;
import software.amazon.awssdk.services.dynamodb.model.ListStreamsResponse;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/**
 * DynamoDB Local names its streams with region {@code ddblocal}; the Streams Kinesis adapter rejects such an ARN
 * and DynamoDB Local rejects any other. This client sits between them and rewrites the region both ways, so
 * the adapter sees {@code :us-east-1:} and DynamoDB Local sees {@code :ddblocal:}. Used only with DynamoDB Local.
 */
final class RegionRewritingStreamsClient implements DynamoDbStreamsClient {

    static final String LOCAL = ":ddblocal:";

    private final DynamoDbStreamsClient delegate;
    private final String region;

    RegionRewritingStreamsClient(DynamoDbStreamsClient delegate, String region) {
        this.delegate = delegate;
        this.region = ":" + region + ":";
    }

    String toAdapter(String arn) {
        return arn == null ? null : arn.replace(LOCAL, region);
    }

    private String toLocal(String arn) {
        return arn == null ? null : arn.replace(region, LOCAL);
    }

    @Override
    public DescribeStreamResponse describeStream(DescribeStreamRequest request) {
        DescribeStreamResponse response =
                delegate.describeStream(request.toBuilder().streamArn(toLocal(request.streamArn())).build());
        return response.toBuilder()
                .streamDescription(response.streamDescription().toBuilder()
                        .streamArn(toAdapter(response.streamDescription().streamArn()))
                        .build())
                .build();
    }

    @Override
    public GetShardIteratorResponse getShardIterator(GetShardIteratorRequest request) {
        return delegate.getShardIterator(request.toBuilder().streamArn(toLocal(request.streamArn())).build());
    }

    @Override
    public GetRecordsResponse getRecords(GetRecordsRequest request) {
        return delegate.getRecords(request);
    }

    @Override
    public ListStreamsResponse listStreams(ListStreamsRequest request) {
        ListStreamsResponse response = delegate.listStreams(request);
        return response.toBuilder()
                .streams(response.streams().stream()
                        .map(s -> s.toBuilder().streamArn(toAdapter(s.streamArn())).build())
                        .toList())
                .build();
    }

    @Override
    public String serviceName() {
        return delegate.serviceName();
    }

    @Override
    public void close() {
        delegate.close();
    }
}
