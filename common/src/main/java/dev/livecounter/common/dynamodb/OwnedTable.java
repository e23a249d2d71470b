package dev.livecounter.common.dynamodb;

import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;

/**
 * A table as its owner describes it, for {@link TableProvisioner}: each owner declares a bean of this type for each
 * table it owns, and knows nothing of how tables are made.
 *
 * @param definition   the table's name, keys, indexes and stream
 * @param ttlAttribute the attribute DynamoDB's TTL deletes items by
 */
public record OwnedTable(CreateTableRequest.Builder definition, String ttlAttribute) {}
