package dev.pronto.storage.s3;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import dev.pronto.inference.FolderEntry;
import dev.pronto.inference.ModelLocation;
import dev.pronto.inference.spi.ObjectInfo;
import dev.pronto.inference.spi.ObjectStream;
import dev.pronto.inference.spi.ListableStorage;
import dev.pronto.inference.toolkit.AllowList;
import dev.pronto.inference.toolkit.FolderEntries;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.exception.SdkServiceException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/**
 * Reads and lists objects in the allowed buckets with one shared {@link S3Client}. A location in any other
 * bucket is refused before a request is made. Thread-safe, as the client is.
 */
final class S3Storage implements ListableStorage {

    private static final Pattern PLAIN_MD5 = Pattern.compile("^[0-9a-fA-F]{32}$");

    private final S3Client client;
    private final AllowList buckets;
    private final AutoCloseable credentials;

    /**
     * @param credentials closed with the client; {@code null} when the client owns them
     */
    S3Storage(S3Client client, AllowList buckets, AutoCloseable credentials) {
        this.client = client;
        this.buckets = buckets;
        this.credentials = credentials;
    }

    @Override
    public ObjectInfo stat(ModelLocation location) throws IOException {
        buckets.check(location);
        try {
            HeadObjectResponse head = client.headObject(b -> b.bucket(location.container()).key(location.path()));
            return info(head.contentLength(), head.lastModified(), head.eTag(), head.versionId(), location);
        } catch (SdkException e) {
            throw translate(e, location);
        }
    }

    @Override
    public InputStream open(ModelLocation location) throws IOException {
        return openObject(location);
    }

    @Override
    public ObjectStream openObject(ModelLocation location) throws IOException {
        buckets.check(location);
        ResponseInputStream<GetObjectResponse> in;
        try {
            in = client.getObject(b -> b.bucket(location.container()).key(location.path()));
        } catch (SdkException e) {
            throw translate(e, location);
        }
        GetObjectResponse response = in.response();
        ObjectInfo info = info(response.contentLength(), response.lastModified(), response.eTag(), response.versionId(), location);
        return new ObjectStream(new TranslatingStream(in, location), info, md5Of(response));
    }

    /**
     * Lists with the delimiter {@code /}: common prefixes are the folders, keys the objects. A bucket
     * that does not exist holds nothing, as the contract asks.
     */
    @Override
    public List<FolderEntry> list(ModelLocation folder) throws IOException {
        buckets.check(folder);
        String prefix = FolderEntries.prefix(folder);
        FolderEntries entries = new FolderEntries(folder);
        try {
            for (ListObjectsV2Response page : client.listObjectsV2Paginator(b -> b.bucket(folder.container())
                    .prefix(prefix).delimiter("/"))) {
                for (CommonPrefix common : page.commonPrefixes()) {
                    entries.add(common.prefix().substring(prefix.length()), true);
                }
                for (S3Object object : page.contents()) {
                    entries.add(object.key().substring(prefix.length()), false);
                }
            }
        } catch (SdkException e) {
            return FolderEntries.emptyIfMissing(translate(e, folder));
        }
        return entries.toList();
    }

    @Override
    public void close() throws IOException {
        client.close();
        if (credentials != null) {
            try {
                credentials.close();
            } catch (Exception e) {
                throw new IOException("closing the S3 credentials provider failed", e);
            }
        }
    }

    private static ObjectInfo info(Long size, Instant lastModified, String eTag, String versionId, ModelLocation location)
            throws IOException {
        if (size == null) {
            throw new IOException("S3 answered for " + location + " without a content length");
        }
        // the ETag changes with the content; stores without ETags still have version ids
        String version = eTag != null && !unquote(eTag).isEmpty() ? unquote(eTag) : versionId;
        if (version == null || version.isEmpty()) {
            throw new IOException("S3 answered for " + location + " without an ETag or version id");
        }
        return new ObjectInfo(size, lastModified == null ? Instant.EPOCH : lastModified, version);
    }

    /**
     * The MD5 that S3 vouches for: the ETag of an object uploaded in one part, unencrypted or with
     * SSE-S3. Multipart ETags ({@code <hex>-<parts>}) and SSE-KMS or SSE-C ETags are not MD5s.
     */
    private static String md5Of(GetObjectResponse response) {
        String eTag = response.eTag() == null ? "" : unquote(response.eTag());
        boolean plainEncryption = response.serverSideEncryption() == null
                || response.serverSideEncryption() == ServerSideEncryption.AES256;
        boolean customerKey = response.sseCustomerAlgorithm() != null;
        return PLAIN_MD5.matcher(eTag).matches() && plainEncryption && !customerKey ? eTag.toLowerCase(Locale.ROOT) : null;
    }

    private static String unquote(String eTag) {
        return eTag.replace("\"", "");
    }

    /**
     * The storage contract's exceptions for an SDK failure. Messages carry the S3 error code and
     * status, never the credentials, signature or request headers.
     */
    static IOException translate(SdkException e, ModelLocation location) {
        if (e instanceof SdkServiceException service) {
            int status = service.statusCode();
            String code = e instanceof S3Exception s3 && s3.awsErrorDetails() != null
                    && s3.awsErrorDetails().errorCode() != null ? s3.awsErrorDetails().errorCode() : "HTTP " + status;
            if (status == 404) {
                NoSuchFileException missing = new NoSuchFileException(location.toString(), null, code);
                missing.initCause(e);
                return missing;
            }
            if (status == 403) {
                AccessDeniedException denied = new AccessDeniedException(location.toString(), null,
                        "S3 refused access to bucket \"" + location.container() + "\" (" + code
                                + "): check the credentials and that they may read this bucket");
                denied.initCause(e);
                return denied;
            }
            return new IOException("S3 failed to serve " + location + " (" + code + ", HTTP " + status + ")", e);
        }
        return new IOException("S3 could not be reached for " + location + ": " + e.getClass().getSimpleName(), e);
    }

    /** Turns the SDK's unchecked failures while the body is read (checksum mismatch, abort) into IOExceptions. */
    private static final class TranslatingStream extends FilterInputStream {
        private final ModelLocation location;

        TranslatingStream(InputStream in, ModelLocation location) {
            super(in);
            this.location = location;
        }

        @Override
        public int read() throws IOException {
            try {
                return super.read();
            } catch (SdkException e) {
                throw translate(e, location);
            }
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            try {
                return super.read(buffer, offset, length);
            } catch (SdkException e) {
                throw translate(e, location);
            }
        }

        @Override
        public void close() throws IOException {
            try {
                super.close();
            } catch (SdkException e) {
                throw translate(e, location);
            }
        }
    }
}
