package dev.pronto.inference.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.pronto.inference.FolderEntry;
import dev.pronto.inference.ModelLocation;
import dev.pronto.inference.internal.StorageFactory;
import dev.pronto.inference.spi.ListableStorage;
import dev.pronto.inference.spi.ObjectInfo;
import dev.pronto.inference.spi.ObjectStream;
import dev.pronto.inference.spi.Storage;
import dev.pronto.inference.toolkit.Checksums;

/**
 * The behaviour every {@link Storage} must show, whatever its back end. Each storage module
 * subclasses this once against a real back end (a folder, an S3 server, Azurite), with the storage
 * created as the engine creates it ({@code StorageFactory.create}), so a subclass can also run the
 * contract through the engine's local file cache.
 */
public abstract class StorageContractTest {

    /** The storage under test, created from its provider as the engine would. */
    protected abstract Storage storage();

    /** Writes an object directly into the back end, bypassing the storage under test. */
    protected abstract void write(String name, byte[] content) throws Exception;

    /** A location text for {@code name} in an allowed container, as a client would write it. */
    protected abstract String location(String name);

    /** A location the storage must refuse because its container or folder is not configured. */
    protected abstract String deniedLocation();

    @Test
    public void statReportsSizeAndANonEmptyVersion() throws Exception {
        byte[] content = "<PMML/>".getBytes(StandardCharsets.UTF_8);
        write("contract/stat.pmml", content);

        ObjectInfo info = storage().stat(ModelLocation.parse(location("contract/stat.pmml")));

        assertThat(info.size()).isEqualTo(content.length);
        assertThat(info.version()).isNotEmpty();
    }

    @Test
    public void openReadsTheStoredBytes() throws Exception {
        byte[] content = "some model bytes \u00e9".getBytes(StandardCharsets.UTF_8);
        write("contract/open.bin", content);

        try (InputStream in = storage().open(ModelLocation.parse(location("contract/open.bin")))) {
            assertThat(in.readAllBytes()).isEqualTo(content);
        }
    }

    @Test
    public void versionChangesWhenTheObjectIsReplaced() throws Exception {
        ModelLocation location = ModelLocation.parse(location("contract/replaced.bin"));
        write("contract/replaced.bin", "first".getBytes(StandardCharsets.UTF_8));
        ObjectInfo first = storage().stat(location);

        Thread.sleep(1100); // file systems and object stores with one-second time resolution
        write("contract/replaced.bin", "second, longer".getBytes(StandardCharsets.UTF_8));
        ObjectInfo second = storage().stat(location);

        assertThat(second.version()).isNotEqualTo(first.version());
        try (InputStream in = storage().open(location)) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("second, longer");
        }
    }

    @Test
    public void missingObjectIsNoSuchFileForStatAndOpen() {
        ModelLocation location = ModelLocation.parse(location("contract/does-not-exist.pmml"));

        assertThatThrownBy(() -> storage().stat(location)).isInstanceOf(NoSuchFileException.class);
        assertThatThrownBy(() -> storage().open(location).close()).isInstanceOf(NoSuchFileException.class);
    }

    @Test
    public void locationOutsideTheAllowedOnesIsAccessDenied() {
        ModelLocation location = ModelLocation.parse(deniedLocation());

        assertThatThrownBy(() -> storage().stat(location)).isInstanceOf(AccessDeniedException.class);
        assertThatThrownBy(() -> storage().open(location).close()).isInstanceOf(AccessDeniedException.class);
    }

    @Test
    public void openObjectReadsTheBytesWithTheirSizeAndVersion() throws Exception {
        byte[] content = "object bytes with their info".getBytes(StandardCharsets.UTF_8);
        write("contract/object.bin", content);
        ModelLocation location = ModelLocation.parse(location("contract/object.bin"));
        String version = storage().stat(location).version();

        try (ObjectStream in = storage().openObject(location)) {
            assertThat(in.readAllBytes()).isEqualTo(content);
            assertThat(in.info().size()).isEqualTo(content.length);
            assertThat(in.info().version()).isEqualTo(version);
            // a store that vouches for an MD5 must vouch for the right one
            in.md5().ifPresent(md5 -> assertThat(md5).isEqualTo(Checksums.hex(Checksums.md5().digest(content))));
        }
    }

    @Test
    public void openObjectOfAMissingObjectIsNoSuchFile() {
        ModelLocation location = ModelLocation.parse(location("contract/no-object.pmml"));

        assertThatThrownBy(() -> storage().openObject(location).close()).isInstanceOf(NoSuchFileException.class);
    }

    @Test
    public void openObjectOutsideTheAllowedOnesIsAccessDenied() {
        ModelLocation location = ModelLocation.parse(deniedLocation());

        assertThatThrownBy(() -> storage().openObject(location).close()).isInstanceOf(AccessDeniedException.class);
    }

    @Test
    public void accessDeniedReasonNamesNoServerPath() throws IOException {
        ModelLocation location = ModelLocation.parse(deniedLocation());
        try {
            storage().stat(location);
        } catch (AccessDeniedException e) {
            assertThat(e.getReason()).isNotBlank().doesNotContain(System.getProperty("java.io.tmpdir"));
            return;
        }
        throw new AssertionError("expected AccessDeniedException for " + location);
    }

    @Test
    public void listShowsObjectsAndFoldersDirectlyInsideAFolderSortedByName() throws Exception {
        byte[] content = "<PMML/>".getBytes(StandardCharsets.UTF_8);
        write("contract/listed/b.pmml", content);
        write("contract/listed/a.pmml", content);
        write("contract/listed/3/model.pmml", content);
        write("contract/listed/10/model.pmml", content);
        write("contract/listed/10/deeper/nested.pmml", content);

        List<FolderEntry> entries = listable().list(ModelLocation.parse(location("contract/listed")));

        assertThat(entries).containsExactly(new FolderEntry("10", true), new FolderEntry("3", true),
                new FolderEntry("a.pmml", false), new FolderEntry("b.pmml", false));
        assertThat(listable().list(ModelLocation.parse(location("contract/listed/10"))))
                .containsExactly(new FolderEntry("deeper", true), new FolderEntry("model.pmml", false));
    }

    @Test
    public void listOfAFolderThatHoldsNothingIsEmpty() throws Exception {
        write("contract/lonely.pmml", "<PMML/>".getBytes(StandardCharsets.UTF_8));

        assertThat(listable().list(ModelLocation.parse(location("contract/no-such-folder")))).isEmpty();
        // an object is not a folder, and a prefix of a name is not one either
        assertThat(listable().list(ModelLocation.parse(location("contract/lonely.pmml")))).isEmpty();
        assertThat(listable().list(ModelLocation.parse(location("contract/lone")))).isEmpty();
    }

    @Test
    public void listOutsideTheAllowedOnesIsAccessDenied() {
        ModelLocation folder = ModelLocation.parse(deniedLocation());

        assertThatThrownBy(() -> listable().list(folder)).isInstanceOf(AccessDeniedException.class);
    }

    /** The storage's listing capability, as the engine finds it: through the file cache to the store. */
    private ListableStorage listable() {
        return StorageFactory.listing(storage()).orElseThrow(() -> new AssertionError(
                storage().getClass().getSimpleName() + " cannot list folders"));
    }
}
