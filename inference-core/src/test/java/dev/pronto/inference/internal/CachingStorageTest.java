package dev.pronto.inference.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.pronto.inference.ModelLocation;
import dev.pronto.inference.spi.ObjectInfo;
import dev.pronto.inference.spi.ObjectStream;
import dev.pronto.inference.spi.Storage;
import dev.pronto.inference.testing.InMemoryStorageProvider;

/** The local file cache against an in-memory store, with a clock the test advances. */
class CachingStorageTest {

    private static final Duration INTERVAL = Duration.ofSeconds(60);
    private static final ModelLocation MODEL = ModelLocation.parse("s3://bucket/models/iris.pmml");
    private static final byte[] FIRST = "first version of the model".getBytes(StandardCharsets.UTF_8);
    private static final byte[] SECOND = "second, longer version of the model".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path folder;

    private final InMemoryStorageProvider store = new InMemoryStorageProvider(Set.of("s3"));
    private final AtomicLong nanos = new AtomicLong();

    @BeforeEach
    void storeTheFirstVersion() {
        store.put(MODEL.toString(), FIRST);
    }

    private CachingStorage cache(Storage remote) throws IOException {
        return new CachingStorage(remote, folder, INTERVAL, nanos::get);
    }

    private void advance(Duration duration) {
        nanos.addAndGet(duration.toNanos());
    }

    private static byte[] read(Storage storage, ModelLocation location) throws IOException {
        try (InputStream in = storage.open(location)) {
            return in.readAllBytes();
        }
    }

    @Test
    void keepsTheCopyUnderSchemeBucketAndKeyWithARecordBesideIt() throws IOException {
        CachingStorage cache = cache(store);

        assertThat(read(cache, MODEL)).isEqualTo(FIRST);

        assertThat(folder.resolve("s3/bucket/models/iris.pmml")).hasBinaryContent(FIRST);
        assertThat(folder.resolve(".meta/s3/bucket/models/iris.pmml.properties")).content()
                .contains("version=v1").contains("size=" + FIRST.length).contains("sha256=");
        try (Stream<Path> files = Files.walk(folder)) {
            assertThat(files.filter(p -> p.toString().endsWith(".part"))).isEmpty();
        }
    }

    @Test
    void statAndOpenWithinTheIntervalMakeNoRequest() throws IOException {
        CachingStorage cache = cache(store);
        cache.stat(MODEL);
        read(cache, MODEL);
        int stats = store.stats();
        int opens = store.opens();

        advance(INTERVAL.minusSeconds(1));
        for (int i = 0; i < 5; i++) {
            assertThat(cache.stat(MODEL).version()).isEqualTo("v1");
            assertThat(read(cache, MODEL)).isEqualTo(FIRST);
        }

        assertThat(store.stats()).isEqualTo(stats);
        assertThat(store.opens()).isEqualTo(opens);
    }

    @Test
    void unchangedObjectAfterTheIntervalIsCheckedButNotDownloadedAgain() throws IOException {
        CachingStorage cache = cache(store);
        read(cache, MODEL);
        int stats = store.stats();

        advance(INTERVAL);
        assertThat(read(cache, MODEL)).isEqualTo(FIRST);

        assertThat(store.stats()).isEqualTo(stats + 1);
        assertThat(store.opens()).isEqualTo(1);
    }

    @Test
    void replacedObjectShowsItsNewVersionAndIsDownloadedAfterTheInterval() throws IOException {
        CachingStorage cache = cache(store);
        read(cache, MODEL);
        store.put(MODEL.toString(), SECOND);

        assertThat(cache.stat(MODEL).version()).as("within the interval").isEqualTo("v1");
        advance(INTERVAL);

        assertThat(cache.stat(MODEL).version()).isEqualTo("v2");
        assertThat(read(cache, MODEL)).isEqualTo(SECOND);
        assertThat(store.opens()).isEqualTo(2);
        assertThat(folder.resolve("s3/bucket/models/iris.pmml")).hasBinaryContent(SECOND);
    }

    @Test
    void unreachableStoreServesTheLastGoodCopyAndSaysItMayBeStale() throws IOException {
        CachingStorage cache = cache(store);
        read(cache, MODEL);
        assertThat(cache.staleness(MODEL)).isEmpty();

        store.setDown(true);
        advance(INTERVAL);

        assertThat(cache.stat(MODEL).version()).isEqualTo("v1");
        assertThat(read(cache, MODEL)).isEqualTo(FIRST);
        assertThat(cache.staleness(MODEL)).get().asString()
                .contains("could not be reached").contains("version v1").doesNotContain(folder.toString());

        store.setDown(false);
        advance(INTERVAL);
        cache.stat(MODEL);
        assertThat(cache.staleness(MODEL)).isEmpty();
    }

    @Test
    void unreachableStoreIsAskedAtMostOncePerInterval() throws IOException {
        CachingStorage cache = cache(store);
        read(cache, MODEL);
        store.setDown(true);
        advance(INTERVAL);
        cache.stat(MODEL);
        int stats = store.stats();

        for (int i = 0; i < 5; i++) {
            read(cache, MODEL);
            cache.stat(MODEL);
        }

        assertThat(store.stats()).isEqualTo(stats);
    }

    @Test
    void unreachableStoreWithoutACopyIsAnIOException() throws IOException {
        CachingStorage cache = cache(store);
        store.setDown(true);

        assertThatThrownBy(() -> cache.stat(MODEL)).isInstanceOf(IOException.class)
                .isNotInstanceOf(NoSuchFileException.class).hasMessageContaining("outage");
        assertThatThrownBy(() -> read(cache, MODEL)).isInstanceOf(IOException.class)
                .isNotInstanceOf(NoSuchFileException.class);
    }

    @Test
    void warmCacheServesAfterARestartWhileTheStoreIsDown() throws IOException {
        read(cache(store), MODEL);
        store.setDown(true);
        int opens = store.opens();

        CachingStorage restarted = cache(store);

        assertThat(restarted.stat(MODEL).version()).isEqualTo("v1");
        assertThat(read(restarted, MODEL)).isEqualTo(FIRST);
        assertThat(restarted.staleness(MODEL)).isPresent();
        assertThat(store.opens()).isEqualTo(opens);
    }

    @Test
    void warmCacheWithAnUnchangedObjectIsNotDownloadedAgainAfterARestart() throws IOException {
        read(cache(store), MODEL);

        CachingStorage restarted = cache(store);

        assertThat(read(restarted, MODEL)).isEqualTo(FIRST);
        assertThat(store.opens()).isEqualTo(1);
        assertThat(restarted.staleness(MODEL)).isEmpty();
    }

    @Test
    void copyThatNoLongerMatchesItsRecordIsNeverUsed() throws IOException {
        read(cache(store), MODEL);
        byte[] tampered = FIRST.clone();
        tampered[0] ^= 1; // same size, different bytes: only the checksum can tell
        Files.write(folder.resolve("s3/bucket/models/iris.pmml"), tampered);
        store.setDown(true);

        CachingStorage restarted = cache(store);

        assertThatThrownBy(() -> read(restarted, MODEL)).isInstanceOf(IOException.class);
        store.setDown(false);
        assertThat(read(restarted, MODEL)).isEqualTo(FIRST);
    }

    @Test
    void incompleteDownloadIsNeverUsedAndTheLastGoodCopyKeepsServing() throws IOException {
        TamperingStorage tampering = new TamperingStorage(store);
        CachingStorage cache = cache(tampering);
        read(cache, MODEL);
        store.put(MODEL.toString(), SECOND);
        tampering.truncate = true;
        advance(INTERVAL);

        assertThat(read(cache, MODEL)).isEqualTo(FIRST);
        assertThat(cache.staleness(MODEL)).isPresent();
        assertThat(folder.resolve("s3/bucket/models/iris.pmml")).hasBinaryContent(FIRST);
        try (Stream<Path> files = Files.walk(folder)) {
            assertThat(files.filter(p -> p.toString().endsWith(".part"))).isEmpty();
        }

        tampering.truncate = false;
        advance(INTERVAL);
        assertThat(read(cache, MODEL)).isEqualTo(SECOND);
        assertThat(cache.staleness(MODEL)).isEmpty();
    }

    @Test
    void incompleteFirstDownloadFailsWithoutLeavingACopy() throws IOException {
        TamperingStorage tampering = new TamperingStorage(store);
        tampering.truncate = true;
        CachingStorage cache = cache(tampering);

        assertThatThrownBy(() -> read(cache, MODEL)).isInstanceOf(IOException.class)
                .hasMessageContaining("incomplete download");
        assertThat(folder.resolve("s3/bucket/models/iris.pmml")).doesNotExist();
    }

    @Test
    void downloadWhoseChecksumDiffersFromTheStoresIsRejected() throws IOException {
        TamperingStorage tampering = new TamperingStorage(store);
        tampering.wrongMd5 = true;
        CachingStorage cache = cache(tampering);

        assertThatThrownBy(() -> read(cache, MODEL)).isInstanceOf(IOException.class)
                .hasMessageContaining("corrupted download");
        assertThat(folder.resolve("s3/bucket/models/iris.pmml")).doesNotExist();

        tampering.wrongMd5 = false;
        assertThat(read(cache, MODEL)).isEqualTo(FIRST);
    }

    @Test
    void concurrentFirstOpensCauseOneDownload() throws Exception {
        CachingStorage cache = cache(store);
        store.setOpenDelayMillis(200);
        int threads = 8;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<byte[]>> results = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                Callable<byte[]> task = () -> {
                    start.await();
                    return read(cache, MODEL);
                };
                results.add(pool.submit(task));
            }
            start.countDown();
            for (Future<byte[]> result : results) {
                assertThat(result.get()).isEqualTo(FIRST);
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(store.opens()).isEqualTo(1);
    }

    @Test
    void objectGoneFromTheStoreIsNotFoundAndItsCopyIsDeleted() throws IOException {
        CachingStorage cache = cache(store);
        read(cache, MODEL);
        store.remove(MODEL.toString());
        advance(INTERVAL);

        assertThatThrownBy(() -> cache.stat(MODEL)).isInstanceOf(NoSuchFileException.class);
        assertThat(folder.resolve("s3/bucket/models/iris.pmml")).doesNotExist();
        store.setDown(true);
        assertThatThrownBy(() -> read(cache(store), MODEL)).isInstanceOf(IOException.class);
    }

    @Test
    void accessDeniedIsPassedOnWithoutTouchingTheDisk() throws IOException {
        CachingStorage cache = cache(store);
        ModelLocation denied = ModelLocation.parse("s3://" + InMemoryStorageProvider.FORBIDDEN_CONTAINER + "/m.pmml");

        assertThatThrownBy(() -> read(cache, denied)).isInstanceOf(AccessDeniedException.class);
        assertThat(folder.resolve("s3/" + InMemoryStorageProvider.FORBIDDEN_CONTAINER)).doesNotExist();
    }

    @Test
    void copyDeletedBehindItsBackIsFetchedAgain() throws IOException {
        CachingStorage cache = cache(store);
        read(cache, MODEL);
        Files.delete(folder.resolve("s3/bucket/models/iris.pmml"));

        assertThat(read(cache, MODEL)).isEqualTo(FIRST);
        assertThat(store.opens()).isEqualTo(2);
    }

    /** Delivers fewer bytes than announced, or announces a wrong checksum, like a broken transfer. */
    private static final class TamperingStorage implements Storage {
        private final Storage delegate;
        volatile boolean truncate;
        volatile boolean wrongMd5;

        TamperingStorage(Storage delegate) {
            this.delegate = delegate;
        }

        @Override
        public ObjectInfo stat(ModelLocation location) throws IOException {
            return delegate.stat(location);
        }

        @Override
        public InputStream open(ModelLocation location) throws IOException {
            return openObject(location);
        }

        @Override
        public ObjectStream openObject(ModelLocation location) throws IOException {
            ObjectInfo info = delegate.stat(location);
            byte[] bytes;
            try (InputStream in = delegate.open(location)) {
                bytes = in.readAllBytes();
            }
            if (truncate) {
                bytes = java.util.Arrays.copyOf(bytes, bytes.length / 2);
            }
            return new ObjectStream(new ByteArrayInputStream(bytes), info, wrongMd5 ? "0".repeat(32) : null);
        }
    }
}
