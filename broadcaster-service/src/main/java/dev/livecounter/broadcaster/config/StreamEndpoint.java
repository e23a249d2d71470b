package dev.livecounter.broadcaster.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import java.net.URI;

/**
 * Where the stream consumer reads DynamoDB Streams: the endpoint micronaut-aws gives the DynamoDB client, read
 * here too because the streams client is built by hand (KCL's adapter needs its own).
 *
 * @param endpointOverride DynamoDB (Local) endpoint; unset (default): AWS's for the region;
 *                         env {@code AWS_SERVICES_DYNAMODB_ENDPOINT_OVERRIDE}
 */
@ConfigurationProperties("aws.services.dynamodb")
public record StreamEndpoint(@Nullable URI endpointOverride) {}
