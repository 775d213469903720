/**
 * Models in Amazon S3 and S3-compatible stores, read with the AWS SDK for Java v2; see
 * {@link dev.pronto.storage.s3.S3StorageProvider}. The engine adds its local file cache in front when
 * {@code storage.s3.local-folder} is set.
 */
package dev.pronto.storage.s3;
