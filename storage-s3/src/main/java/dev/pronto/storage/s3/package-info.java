/**
 * Models in Amazon S3 and S3-compatible stores, read with the AWS SDK for Java v2 behind the
 * {@link dev.pronto.inference.spi.LocalFileCache}; see {@link dev.pronto.storage.s3.S3StorageProvider}.
 */
package dev.pronto.storage.s3;
