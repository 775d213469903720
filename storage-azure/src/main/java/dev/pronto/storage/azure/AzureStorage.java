package dev.pronto.storage.azure;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.util.List;

import com.azure.core.exception.ClientAuthenticationException;
import com.azure.core.exception.HttpResponseException;
import com.azure.core.util.Context;
import com.azure.storage.blob.BlobClient;
import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.blob.models.BlobProperties;
import com.azure.storage.blob.models.BlobStorageException;
import com.azure.storage.blob.models.ListBlobsOptions;
import com.azure.storage.blob.specialized.BlobInputStream;

import dev.pronto.inference.FolderEntry;
import dev.pronto.inference.ModelLocation;
import dev.pronto.inference.spi.ObjectInfo;
import dev.pronto.inference.spi.ObjectStream;
import dev.pronto.inference.spi.ListableStorage;
import dev.pronto.inference.toolkit.AllowList;
import dev.pronto.inference.toolkit.FolderEntries;

/**
 * Reads and lists blobs in the allowed containers of one storage account. Thread-safe: the SDK's clients are
 * immutable and share one connection pool.
 *
 * <p>Every exception is translated here, in one place, with messages that name the location and
 * never a key, SAS token or request signature.
 */
final class AzureStorage implements ListableStorage {

    private final BlobServiceClient client;
    private final AllowList containers;
    /** Scheme, host and port of the account, for messages; no path, query or credential. */
    private final String endpointForMessages;

    AzureStorage(BlobServiceClient client, AllowList containers) {
        this.client = client;
        this.containers = containers;
        URI url = URI.create(client.getAccountUrl());
        this.endpointForMessages = url.getScheme() + "://" + url.getHost() + (url.getPort() < 0 ? "" : ":" + url.getPort());
    }

    @Override
    public ObjectInfo stat(ModelLocation location) throws IOException {
        BlobClient blob = blob(location);
        BlobProperties properties;
        try {
            properties = blob.getPropertiesWithResponse(null, null, Context.NONE).getValue();
        } catch (RuntimeException e) {
            throw translate(e, location);
        }
        return info(properties);
    }

    @Override
    public InputStream open(ModelLocation location) throws IOException {
        return openObject(location);
    }

    /**
     * Opens the blob with the properties of exactly the version being read: the stream reads in
     * blocks, each request bound to the ETag it started with, so a blob replaced during the read fails
     * the read instead of mixing two versions.
     *
     * <p>No MD5 is passed on: a blob's Content-MD5 is a stored property that clients may set without
     * Azure checking it (Put Block List, Set Blob Properties), so Azure does not vouch for it, and a
     * wrong one would make a good blob impossible to load. The size is still checked by the reader.
     */
    @Override
    public ObjectStream openObject(ModelLocation location) throws IOException {
        BlobClient blob = blob(location);
        BlobInputStream in;
        try {
            in = blob.openInputStream();
        } catch (RuntimeException e) {
            throw translate(e, location);
        }
        return new ObjectStream(in, info(in.getProperties()), null);
    }

    /** Lists by hierarchy with the delimiter {@code /}: prefixes are the folders, blobs the objects. */
    @Override
    public List<FolderEntry> list(ModelLocation folder) throws IOException {
        containers.check(folder);
        String prefix = FolderEntries.prefix(folder);
        FolderEntries entries = new FolderEntries(folder);
        try {
            for (BlobItem item : client.getBlobContainerClient(folder.container())
                    .listBlobsByHierarchy("/", new ListBlobsOptions().setPrefix(prefix), null)) {
                entries.add(item.getName().substring(prefix.length()), Boolean.TRUE.equals(item.isPrefix()));
            }
        } catch (RuntimeException e) {
            return FolderEntries.emptyIfMissing(translate(e, folder));
        }
        return entries.toList();
    }

    /** Checks the container against the allowed ones before any request is made. */
    private BlobClient blob(ModelLocation location) throws AccessDeniedException {
        containers.check(location);
        return client.getBlobContainerClient(location.container()).getBlobClient(location.path());
    }

    private IOException translate(RuntimeException e, ModelLocation location) {
        if (e instanceof HttpResponseException response && response.getResponse() != null) {
            int status = response.getResponse().getStatusCode();
            String code = errorCode(response);
            String requestId = response.getResponse().getHeaderValue("x-ms-request-id");
            if (status == 404) {
                NoSuchFileException missing = new NoSuchFileException(location.toString(), null,
                        code.equals("ContainerNotFound") ? "the container does not exist" : "no such blob");
                missing.initCause(e);
                return missing;
            }
            if (status == 401 || status == 403) {
                // the SDK's exception is not kept as the cause: Azure's answer quotes the request's
                // signature and the string it signed, and a SAS token travels in the request URL
                String reason = code.equals("AuthorizationPermissionMismatch")
                        ? "the Azure identity may not read blobs in container \"" + location.container()
                                + "\" (AuthorizationPermissionMismatch; it needs the Storage Blob Data Reader role)"
                        : "Azure Blob Storage refused the configured credentials (HTTP " + status
                                + (code.isEmpty() ? "" : ", " + code) + ")";
                AccessDeniedException denied = new AccessDeniedException(location.toString(), null,
                        reason + (requestId == null ? "" : "; request id " + requestId));
                // a cause that quotes nothing of the request, so the server can tell the store's refusal
                // (logged at WARN for the operator) from a location the allow-list refused
                denied.initCause(new IOException("Azure Blob Storage answered HTTP " + status));
                return denied;
            }
            return new IOException("Azure Blob Storage at " + endpointForMessages + " answered HTTP " + status
                    + (code.isEmpty() ? "" : " (" + code + ")") + " for " + location, e);
        }
        if (e instanceof ClientAuthenticationException) {
            // no token could be obtained: DefaultAzureCredential found no usable identity, which is an
            // operator's problem, not a refusal of the client's request
            return new IOException("no Azure credential could get a token for " + location
                    + "; configure account-key, connection-string, sas-token or an Azure identity", e);
        }
        return new IOException("cannot reach Azure Blob Storage at " + endpointForMessages + " for " + location, e);
    }

    private static String errorCode(HttpResponseException e) {
        if (e instanceof BlobStorageException blob && blob.getErrorCode() != null) {
            return blob.getErrorCode().toString();
        }
        // answers to HEAD requests have no body: the code travels only in this header
        String header = e.getResponse().getHeaderValue("x-ms-error-code");
        return header == null ? "" : header;
    }

    private static ObjectInfo info(BlobProperties properties) {
        return new ObjectInfo(properties.getBlobSize(), properties.getLastModified().toInstant(),
                unquote(properties.getETag()));
    }

    private static String unquote(String etag) {
        if (etag == null || etag.isEmpty()) {
            throw new IllegalStateException("Azure returned a blob without an ETag");
        }
        return etag.length() > 1 && etag.startsWith("\"") && etag.endsWith("\"")
                ? etag.substring(1, etag.length() - 1) : etag;
    }
}
