package dev.pronto.pipeline.sklearn;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import java.util.zip.InflaterInputStream;

import jakarta.xml.bind.JAXBException;
import net.razorvine.pickle.PickleException;
import net.razorvine.pickle.objects.ClassDict;
import net.razorvine.pickle.objects.ClassDictConstructor;
import org.dmg.pmml.PMML;
import org.jpmml.model.JAXBSerializer;
import org.jpmml.model.JAXBUtil;
import org.jpmml.python.ClassDictConstructorUtil;
import org.jpmml.python.PickleUtil;
import org.jpmml.python.PythonException;
import org.jpmml.python.Storage;
import org.jpmml.python.StorageUtil;
import org.jpmml.sklearn.SkLearnUtil;
import sklearn.HasFeatureNamesIn;
import sklearn.HasNumberOfFeatures;
import sklearn.Initializer;
import sklearn.Step;
import sklearn.pipeline.SkLearnPipeline;
import sklearn2pmml.pipeline.PMMLPipeline;

import dev.pronto.inference.toolkit.BoundedInputStream;
import dev.pronto.pipeline.sklearn.internal.CompatRegistry;

/**
 * Unpickles a scikit-learn object with JPMML-SkLearn's Java unpickler and converts it to a PMML
 * document.
 *
 * <h2>Why unpickling here runs no code</h2>
 * Python's pickle runs code because its {@code REDUCE} opcode calls whatever callable the pickle
 * names. The Java unpickler (Razorvine's, extended by JPMML) has no Python to call: a name it knows
 * (a scikit-learn class, {@code numpy.ndarray}, ...) is mapped to a Java class that only stores the
 * pickled attributes, and any other name becomes an inert dictionary that refuses construction
 * arguments. So {@code os.system}, {@code builtins.eval} or {@code subprocess.Popen} in a pickle are
 * nothing but names; the tests prove that nothing runs.
 *
 * <h2>Thread safety</h2>
 * Conversions are serialised on one lock: the unpickler keeps its class registry in a static map
 * that {@link PickleUtil#unpickle} writes to on every call, and JPMML's one-time initialisation is
 * not thread-safe either. Conversions happen once per model version, so the lock costs little.
 */
final class PickleConverter {

    private static final Object UNPICKLER_LOCK = new Object();
    /** Oldest scikit-learn version the converter supports (JPMML-SkLearn: "0.16.0 or newer"). */
    private static final String OLDEST_SUPPORTED = "0.16";
    /** A qualified Java name or an exception's class, which a client's message must not show. */
    private static final Pattern JAVA_NAME = Pattern.compile("\\b(?:[a-z][a-z0-9_]*\\.){2,}[A-Za-z_$][\\w$]*|\\b\\w*(?:Exception|Error)\\b");
    private static final Pattern CLASS_DICT_NAME = Pattern.compile("\\(for ([A-Za-z_][\\w.]*)\\)");
    private static final Pattern PYTHON_CLASS = Pattern.compile("Python class ([A-Za-z_][\\w.]*)");
    private static final Pattern NEWER_VERSION = Pattern.compile(
            "Scikit-Learn version (\\S+) artifacts.*version (\\d[\\w.]*)");
    private static final int MAX_REASON_LENGTH = 400;

    /** The pmml-sklearn release doing the conversion, e.g. {@code 1.9.0}; part of the cache key. */
    static final String CONVERTER_VERSION = converterVersion();

    private PickleConverter() {
    }

    /**
     * Converts a pickle to PMML.
     *
     * @param pickle the pickle stream, plain or compressed as joblib writes it
     * @param names supplies input names when the pickle has none
     * @param maxUncompressedBytes the most bytes the unpickler may read after decompression, so that
     *     a small compressed file cannot make the server inflate gigabytes
     * @throws ConversionException saying why, in words a model owner can act on
     */
    static byte[] convert(InputStream pickle, InputNames names, long maxUncompressedBytes) {
        synchronized (UNPICKLER_LOCK) {
            SkLearnUtil.initOnce();
            CompatRegistry.register();
            Object object = unpickle(pickle, maxUncompressedBytes);
            PMMLPipeline pipeline = toPipeline(object);
            nameInputs(pipeline, names);
            PMML pmml;
            try {
                pmml = pipeline.encodePMML();
            } catch (PythonException e) {
                throw new ConversionException(explain(e, object));
            } catch (RuntimeException | StackOverflowError e) {
                throw new ConversionException("the converter failed on it (" + describe(e) + ")"
                        + versionNote(object));
            }
            TransformerOnlyModel.exposeTransformations(pmml);
            return serialize(pmml);
        }
    }

    private static Object unpickle(InputStream pickle, long maxUncompressedBytes) {
        try (Storage storage = StorageUtil.createStorage(
                new BoundedInputStream(decompressed(pickle), maxUncompressedBytes))) {
            return PickleUtil.unpickle(storage);
        } catch (BoundedInputStream.LimitExceededException e) {
            throw tooLarge(maxUncompressedBytes);
        } catch (PickleException e) {
            String message = String.valueOf(e.getMessage());
            Matcher named = CLASS_DICT_NAME.matcher(message);
            if (named.find()) {
                throw new ConversionException("the pickle constructs \"" + named.group(1)
                        + "\", which is not a class of scikit-learn or of the libraries the converter knows;"
                        + " nothing in the pickle was run");
            }
            throw new ConversionException("it is not a pickle the converter can read (" + shorten(message) + ")");
        } catch (IOException e) {
            throw new ConversionException("it is not a readable pickle (" + describe(e) + ")");
        } catch (RuntimeException | StackOverflowError e) {
            for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
                if (cause instanceof BoundedInputStream.LimitExceededException) {
                    throw tooLarge(maxUncompressedBytes);
                }
            }
            throw new ConversionException("it is not a pickle the converter can read (" + describe(e) + ")");
        }
    }

    private static ConversionException tooLarge(long maxUncompressedBytes) {
        return new ConversionException("it unpacks to more than " + maxUncompressedBytes
                + " bytes, the limit set by " + SkLearnPipelineProvider.PREFIX + "max-uncompressed-bytes");
    }

    /**
     * Undoes joblib's compression. JPMML only knows zlib, and would inflate it beyond our size
     * limit, so zlib and gzip are inflated here; joblib's other codecs need libraries we do not
     * ship, and get a message saying how to save the model instead.
     */
    private static InputStream decompressed(InputStream raw) throws IOException {
        PushbackInputStream in = new PushbackInputStream(raw, 6);
        byte[] magic = in.readNBytes(6);
        in.unread(magic);
        if (startsWith(magic, 0x1f, 0x8b)) {
            return new GZIPInputStream(in);
        }
        if (startsWith(magic, 'x')) {
            return new InflaterInputStream(in);
        }
        String codec = startsWith(magic, 'B', 'Z', 'h') ? "bz2"
                : startsWith(magic, 0xfd, '7', 'z', 'X', 'Z', 0x00) ? "xz"
                : startsWith(magic, 0x5d, 0x00, 0x00) ? "lzma"
                : startsWith(magic, 0x04, 0x22, 0x4d, 0x18) ? "lz4"
                : null;
        if (codec != null) {
            throw new ConversionException("it is compressed with " + codec + ", which the converter cannot read;"
                    + " save it with joblib.dump(model, file, compress=(\"zlib\", 3)), (\"gzip\", 3) or uncompressed");
        }
        return in;
    }

    private static boolean startsWith(byte[] bytes, int... prefix) {
        if (bytes.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if ((bytes[i] & 0xff) != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static PMMLPipeline toPipeline(Object object) {
        if (object instanceof PMMLPipeline pmmlPipeline) {
            return pmmlPipeline;
        }
        if (object instanceof SkLearnPipeline pipeline) {
            // flattened rather than nested, so the PMML has the steps of the user's pipeline directly
            return new PMMLPipeline().setSteps(pipeline.getSteps());
        }
        if (object instanceof Step step) {
            return new PMMLPipeline().setSteps(List.<Object[]>of(new Object[] {"estimator", step}));
        }
        if (object instanceof ClassDict dict) {
            // an object of a class the converter has no mapping for: a scikit-learn class it does not
            // support, or a class from the user's own code or another library
            throw new ConversionException("the converter does not support " + dict.getClassName()
                    + " (it is not among the transformers and estimators pmml-sklearn " + CONVERTER_VERSION + " knows)");
        }
        throw new ConversionException("the pickle holds " + pythonType(object)
                + ", not a scikit-learn estimator or pipeline");
    }

    /**
     * Makes sure the first step knows its input names. The converter would otherwise invent
     * {@code x1, x2, ...}, which clients cannot guess; so a pickle without names must be given
     * names by configuration, and the error says how.
     */
    private static void nameInputs(PMMLPipeline pipeline, InputNames names) {
        if (pipeline.getActiveFields() != null) {
            return;
        }
        Step head;
        try {
            head = pipeline.getHead();
        } catch (PythonException e) {
            throw new ConversionException(explain(e, pipeline));
        } catch (RuntimeException e) {
            throw new ConversionException("the converter cannot find its first step (" + describe(e) + ")");
        }
        // a DataFrameMapper (or a DictVectorizer) names its input columns itself
        boolean namesItsColumns = head instanceof Initializer && !(head instanceof HasFeatureNamesIn);
        if (namesItsColumns || head.getFeatureNamesIn() != null) {
            return;
        }
        int count = numberOfFeatures(head);
        List<String> configured = names.names();
        if (configured.isEmpty()) {
            throw new ConversionException("the pickle holds no input field names (its first step, "
                    + head.getClassName() + ", was fitted on an array" + (count > 0 ? " of " + count + " columns" : "")
                    + ", not on a pandas DataFrame); name the inputs in order with the configuration key "
                    + names.modelKey() + " = name1,name2,... (or " + SkLearnPipelineProvider.DEFAULT_NAMES_KEY
                    + " for every pickle without names), or refit the model on a DataFrame");
        }
        if (count > 0 && configured.size() != count) {
            throw new ConversionException("its first step, " + head.getClassName() + ", takes " + count
                    + " input columns, but " + names.sourceKey() + " names " + configured.size());
        }
        head.setattr("feature_names_in_", configured);
    }

    private static int numberOfFeatures(Step head) {
        try {
            return head.getNumberOfFeatures();
        } catch (RuntimeException e) {
            return HasNumberOfFeatures.UNKNOWN;
        }
    }

    private static byte[] serialize(PMML pmml) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            // the context jpmml-evaluator parses with, built when the first PMML model loaded; MetroJAXBUtil's
            // was a second context of the same classes, built on the first conversion and kept
            new JAXBSerializer(JAXBUtil.getContext()).serializePretty(pmml, out);
        } catch (JAXBException e) {
            throw new ConversionException("the converted model cannot be written as PMML (" + describe(e) + ")");
        }
        return out.toByteArray();
    }

    /** Words for a converter failure: the class it could not convert, or the version it does not know. */
    private static String explain(PythonException e, Object object) {
        String message = shorten(String.valueOf(e.getMessage()));
        Matcher newer = NEWER_VERSION.matcher(message);
        if (newer.find()) {
            return "the pickle was written by scikit-learn " + newer.group(1) + ", which this converter (pmml-sklearn "
                    + CONVERTER_VERSION + ") does not know; it reads pickles of scikit-learn " + OLDEST_SUPPORTED
                    + " to " + newer.group(2) + ", so save the model with one of those versions";
        }
        Matcher unsupported = PYTHON_CLASS.matcher(message);
        if (unsupported.find() && message.contains("is not a supported")) {
            return "the converter does not support " + unsupported.group(1)
                    + " (it is not among the transformers and estimators pmml-sklearn " + CONVERTER_VERSION + " knows)";
        }
        return "the converter cannot convert it: " + message + versionNote(object);
    }

    /**
     * Mentions the scikit-learn version the pickle was written with when it is older than the
     * converter supports; newer versions are refused by the converter itself with its own message.
     */
    private static String versionNote(Object object) {
        String version = sklearnVersion(object);
        if (version == null) {
            return "";
        }
        try {
            if (sklearn.VersionUtil.compareVersion(version, OLDEST_SUPPORTED) < 0) {
                return " (the pickle was written by scikit-learn " + version + "; the converter supports "
                        + OLDEST_SUPPORTED + " and newer)";
            }
        } catch (IllegalArgumentException e) {
            return " (the pickle names scikit-learn version \"" + shorten(version) + "\", which is not a version number)";
        }
        return "";
    }

    /** The {@code _sklearn_version} stamped on the object or, for a pipeline, on its first stamped step. */
    static String sklearnVersion(Object object) {
        if (object instanceof Step step) {
            String version = step.getSkLearnVersion();
            if (version != null) {
                return version;
            }
        }
        if (object instanceof SkLearnPipeline pipeline) {
            for (Object[] step : pipeline.getSteps()) {
                String version = step.length > 1 ? sklearnVersion(step[1]) : null;
                if (version != null) {
                    return version;
                }
            }
        }
        return null;
    }

    /** The Python type of an unpickled object, as a model owner would write it. */
    static String pythonType(Object object) {
        if (object == null) {
            return "None";
        }
        if (object instanceof ClassDict dict) {
            return "an object of class " + dict.getClassName();
        }
        if (object instanceof ClassDictConstructor constructor) {
            return "the class " + ClassDictConstructorUtil.getClassName(constructor);
        }
        if (object instanceof Map) {
            return "a dict";
        }
        if (object instanceof List || object instanceof Object[]) {
            return "a list or tuple";
        }
        if (object instanceof Collection) {
            return "a set";
        }
        if (object instanceof CharSequence) {
            return "a string";
        }
        if (object instanceof Number || object instanceof Boolean) {
            return "a number";
        }
        return "an object that is not a scikit-learn estimator or pipeline";
    }

    /**
     * A reason a model owner can read: never the exception's class, which names a Java or library
     * type, only what went wrong with the file; the class and trace stay in the server log.
     */
    private static String describe(Throwable e) {
        if (e instanceof java.io.EOFException) {
            return "the file ends before the pickle does: it is truncated";
        }
        if (e instanceof StackOverflowError) {
            return "it is nested too deeply to read";
        }
        String message = e.getMessage();
        if (message == null || message.isBlank() || JAVA_NAME.matcher(message).find()) {
            return e instanceof IOException ? "its bytes cannot be read as a pickle" : "the converter stopped on it";
        }
        return shorten(message);
    }

    /** First line, bounded: converter messages can embed whole attribute dumps. */
    private static String shorten(String message) {
        int newline = message.indexOf('\n');
        String line = newline < 0 ? message : message.substring(0, newline);
        return line.length() <= MAX_REASON_LENGTH ? line : line.substring(0, MAX_REASON_LENGTH) + "...";
    }

    private static String converterVersion() {
        try (InputStream in = PickleConverter.class.getResourceAsStream(
                "/META-INF/maven/org.jpmml/pmml-sklearn/pom.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** A conversion failure whose message is fit for the model owner; never carries a stack trace to clients. */
    static final class ConversionException extends RuntimeException {

        ConversionException(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * Input names for a pickle that carries none, as the model's configuration gives them.
     *
     * @param names the names in column order; empty when none are configured
     * @param sourceKey the configuration key that gave them, or the per-model key when none did
     * @param modelKey the per-model key, for the message that says how to name the inputs
     */
    record InputNames(List<String> names, String sourceKey, String modelKey) {

        InputNames {
            names = List.copyOf(names);
        }
    }
}
