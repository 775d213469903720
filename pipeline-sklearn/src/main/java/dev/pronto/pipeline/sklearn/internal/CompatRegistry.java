package dev.pronto.pipeline.sklearn.internal;

import net.razorvine.pickle.Unpickler;
import org.jpmml.python.PythonObject;
import org.jpmml.python.PythonObjectConstructor;

/**
 * Maps the Python classes whose JPMML-SkLearn 1.9.0 converters do not link against pmml-model 1.7.7
 * to the adapted converters of this package. Call after {@code SkLearnUtil.initOnce()}, which
 * registers the originals, and under the same lock as unpickling. Not API.
 */
public final class CompatRegistry {

    private CompatRegistry() {
    }

    /** Registers the adapted converters, replacing JPMML's own registrations. */
    public static void register() {
        register("sklearn2pmml.decoration", "ContinuousDomain", CompatContinuousDomain.class);
        register("sklearn2pmml.preprocessing", "CutTransformer", CompatCutTransformer.class);
        register("sklearn.isotonic", "IsotonicRegression", CompatIsotonicRegression.class);
        register("sklearn.preprocessing._discretization", "KBinsDiscretizer", CompatKBinsDiscretizer.class);
    }

    private static void register(String module, String name, Class<? extends PythonObject> converter) {
        Unpickler.registerConstructor(module, name, new PythonObjectConstructor(module, name, converter));
    }
}
