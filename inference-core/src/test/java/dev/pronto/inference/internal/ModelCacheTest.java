package dev.pronto.inference.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.pronto.inference.ErrorCategory;
import dev.pronto.inference.InferenceException;
import dev.pronto.inference.ModelInfo;
import dev.pronto.inference.ModelLocation;
import dev.pronto.inference.ModelSchema;
import dev.pronto.inference.Prediction;
import dev.pronto.inference.spi.ObjectInfo;
import dev.pronto.inference.spi.Pipeline;

/** The model cache with a hand-driven clock and a loader whose store is a map: no sleeps, no I/O. */
class ModelCacheTest {

    private static final Duration INTERVAL = Duration.ofSeconds(10);

    private final AtomicLong nanos = new AtomicLong();
    private final FakeLoader loader = new FakeLoader();
    private ModelCache cache;

    @AfterEach
    void close() {
        if (cache != null) {
            cache.close();
        }
    }

    private ModelCache cache(int maxModels, long maxWeight) {
        cache = new ModelCache(loader, new EngineSettings(maxModels, maxWeight, INTERVAL, 1 << 20), nanos::get);
        return cache;
    }

    @Test
    void evictsTheLeastRecentlyUsedModelsBeyondTheEstimatedWeight() {
        // each fake model weighs its stored size; the bound holds two of 100 bytes, not three
        long bound = 2 * 100;
        cache(20, bound);
        loader.store("a.pmml", 100);
        loader.store("b.pmml", 100);
        loader.store("c.pmml", 100);

        cache.get(key("a.pmml"));
        tick();
        cache.get(key("b.pmml"));
        tick();
        cache.get(key("a.pmml"));
        tick();
        cache.get(key("c.pmml"));

        assertThat(paths(cache.loaded())).containsExactly("c.pmml", "a.pmml");
        assertThat(loader.closed).containsExactly("b.pmml");
    }

    @Test
    void aModelHeavierThanTheWholeBoundStillServesAlone() {
        cache(20, 10);
        loader.store("small.pmml", 1);
        loader.store("huge.pmml", 1000);

        cache.get(key("small.pmml"));
        tick();
        LoadedModel huge = cache.get(key("huge.pmml"));

        assertThat(cache.loaded()).containsExactly(huge);
    }

    @Test
    void countAndWeightBoundsHoldTogether() {
        cache(2, Long.MAX_VALUE);
        for (String path : List.of("a.pmml", "b.pmml", "c.pmml")) {
            loader.store(path, 10);
            cache.get(key(path));
            tick();
        }

        assertThat(paths(cache.loaded())).containsExactly("c.pmml", "b.pmml");
    }

    @Test
    void aCheckIsScheduledOnlyWhenTheIntervalHasPassed() throws Exception {
        cache(20, Long.MAX_VALUE);
        loader.store("m.pmml", 10);
        cache.get(key("m.pmml"));

        nanos.addAndGet(INTERVAL.toNanos() - 1);
        cache.getIfLoaded(key("m.pmml"));
        cache.revalidateAll(); // runs in this thread after any background check, so the count below is settled
        assertThat(loader.checks.get()).isEqualTo(1);

        nanos.addAndGet(INTERVAL.toNanos());
        loader.nextCheckEntered = new CountDownLatch(1);
        cache.getIfLoaded(key("m.pmml"));
        assertThat(loader.nextCheckEntered.await(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void revalidateAllWaitsForARunningCheckAndThenChecksAgain() throws Exception {
        cache(20, Long.MAX_VALUE);
        loader.store("m.pmml", 10);
        cache.get(key("m.pmml"));
        loader.holdChecks = new CountDownLatch(1);
        loader.nextCheckEntered = new CountDownLatch(1);
        nanos.addAndGet(INTERVAL.toNanos());
        cache.get(key("m.pmml")); // starts a background check, held inside the loader
        assertThat(loader.nextCheckEntered.await(10, TimeUnit.SECONDS)).isTrue();

        AtomicBoolean returned = new AtomicBoolean();
        Thread caller = new Thread(() -> {
            cache.revalidateAll();
            returned.set(true);
        });
        caller.start();
        waitUntilBlocked(caller);
        assertThat(returned).isFalse();
        assertThat(loader.checks.get()).isEqualTo(1); // the caller waits instead of checking beside the running one

        loader.holdChecks.countDown();
        caller.join(10_000);

        assertThat(returned).isTrue();
        assertThat(loader.checks.get()).isEqualTo(2);
    }

    @Test
    void aFailedCheckIsReportedUntilACheckSucceeds() {
        cache(20, Long.MAX_VALUE);
        loader.store("m.pmml", 10);
        ModelCache.Key key = key("m.pmml");
        LoadedModel loaded = cache.get(key);
        assertThat(cache.lastCheck(key)).isEmpty();

        loader.down = true;
        cache.revalidateAll();
        assertThat(cache.lastCheck(key)).hasValueSatisfying(check ->
                assertThat(check.error()).isEqualTo("the store cannot be reached"));
        assertThat(cache.get(key)).isSameAs(loaded);

        loader.down = false;
        cache.revalidateAll();
        assertThat(cache.lastCheck(key)).hasValueSatisfying(check -> assertThat(check.error()).isNull());
    }

    @Test
    void aChangedModelIsSwappedAndTheOldPipelineClosed() {
        cache(20, Long.MAX_VALUE);
        loader.store("m.pmml", 10);
        LoadedModel first = cache.get(key("m.pmml"));

        loader.store("m.pmml", 20);
        cache.revalidateAll();

        LoadedModel second = cache.get(key("m.pmml"));
        assertThat(second).isNotSameAs(first);
        assertThat(second.info().sizeBytes()).isEqualTo(20);
        assertThat(loader.closed).containsExactly("m.pmml");
    }

    private void tick() {
        nanos.addAndGet(1_000);
    }

    private static void waitUntilBlocked(Thread thread) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (thread.getState() != Thread.State.WAITING && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(thread.getState()).isEqualTo(Thread.State.WAITING);
    }

    private static ModelCache.Key key(String path) {
        return new ModelCache.Key(ModelLocation.parse(path), "pmml");
    }

    private static List<String> paths(List<LoadedModel> models) {
        return models.stream().map(model -> model.info().location().path()).toList();
    }

    /** Models whose stored size is all that matters; the version is the size. */
    private static final class FakeLoader implements ModelCache.Loader {
        final Map<String, Long> sizes = new ConcurrentHashMap<>();
        final List<String> closed = new CopyOnWriteArrayList<>();
        final AtomicLong checks = new AtomicLong();
        volatile boolean down;
        volatile CountDownLatch holdChecks = new CountDownLatch(0);
        volatile CountDownLatch nextCheckEntered = new CountDownLatch(0);

        void store(String path, long size) {
            sizes.put(path, size);
        }

        @Override
        public LoadedModel load(ModelCache.Key key) {
            String path = key.location().path();
            long size = sizes.get(path);
            Pipeline pipeline = new Pipeline() {
                @Override
                public ModelSchema schema() {
                    return new ModelSchema("regression", List.of(), List.of(), List.of());
                }

                @Override
                public Prediction predict(Map<String, ?> record) {
                    throw new UnsupportedOperationException("not scored in these tests");
                }

                @Override
                public void close() {
                    closed.add(path);
                }
            };
            ModelInfo info = new ModelInfo(key.location(), key.format(), pipeline.schema(), "sha-" + size, size,
                    "v" + size, Instant.EPOCH, Duration.ZERO);
            return new LoadedModel(pipeline, info, new ObjectInfo(size, Instant.EPOCH, "v" + size), size);
        }

        @Override
        public LoadedModel reloadIfChanged(ModelCache.Key key, LoadedModel current) {
            checks.incrementAndGet();
            nextCheckEntered.countDown();
            try {
                holdChecks.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (down) {
                throw new InferenceException(ErrorCategory.UNAVAILABLE, "the store cannot be reached");
            }
            return current.object().size() == sizes.get(key.location().path()) ? current : load(key);
        }
    }
}
