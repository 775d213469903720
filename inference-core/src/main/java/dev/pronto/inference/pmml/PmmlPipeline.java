package dev.pronto.inference.pmml;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.google.common.collect.Range;
import com.google.common.collect.RangeSet;
import org.dmg.pmml.OpType;
import org.jpmml.evaluator.EvaluationException;
import org.jpmml.evaluator.MissingFieldException;
import org.jpmml.evaluator.Evaluator;
import org.jpmml.evaluator.EvaluatorUtil;
import org.jpmml.evaluator.FieldValue;
import org.jpmml.evaluator.HasEntityId;
import org.jpmml.evaluator.HasProbability;
import org.jpmml.evaluator.InputField;
import org.jpmml.model.MarkupException;
import org.jpmml.evaluator.OutputField;
import org.jpmml.evaluator.TargetField;
import org.jpmml.evaluator.mining.HasSegmentResults;
import org.jpmml.evaluator.mining.SegmentResult;

import dev.pronto.inference.ErrorCategory;
import dev.pronto.inference.InferenceException;
import dev.pronto.inference.InputFieldSchema;
import dev.pronto.inference.ModelSchema;
import dev.pronto.inference.OutputFieldSchema;
import dev.pronto.inference.Prediction;
import dev.pronto.inference.TargetFieldSchema;
import dev.pronto.inference.ValueRange;
import dev.pronto.inference.pmml.compiled.CompiledScorer;
import dev.pronto.inference.spi.Pipeline;
import dev.pronto.inference.spi.ScoringNote;

/**
 * A PMML model behind one shared, thread-safe jpmml {@link Evaluator}. Each record goes
 * prepare ({@link InputField#prepare}) → {@link Evaluator#evaluate} → decode, with the field lists
 * and names resolved once at load time rather than per record — unless the model has a compiled
 * scorer ({@link CompiledScorer}) that takes the record, which gives the same prediction faster.
 */
final class PmmlPipeline implements Pipeline, ScoringNote {

    private final Evaluator evaluator;
    private final ModelSchema schema;
    private final InputField[] inputFields;
    private final String[] inputNames;
    /** Name of the primary target in the result map; {@code null} for a synthetic (unnamed) target. */
    private final String primaryTargetKey;
    private final boolean hasTarget;
    private final Object[] classes;
    /** Named targets and output fields reported in {@link Prediction#fields()}, in the model's order. */
    private final List<String> resultNames;
    /** Scores the records it can, exactly as jpmml would; {@code null} when every record goes to jpmml. */
    private final CompiledScorer compiled;

    private final String scoringNote;

    /** A pipeline that scores every record with jpmml. */
    PmmlPipeline(Evaluator evaluator) {
        this.compiled = null;
        this.scoringNote = "";
        this.evaluator = evaluator;
        List<InputField> inputs = evaluator.getInputFields();
        this.inputFields = inputs.toArray(new InputField[0]);
        this.inputNames = inputs.stream().map(InputField::getName).toArray(String[]::new);
        List<TargetField> targets = evaluator.getTargetFields();
        this.hasTarget = !targets.isEmpty();
        this.primaryTargetKey = hasTarget ? targets.get(0).getName() : null;
        List<Object> targetClasses = hasTarget ? targets.get(0).getCategories() : null;
        this.classes = targetClasses == null ? new Object[0] : targetClasses.toArray();
        List<String> names = new ArrayList<>();
        for (TargetField target : targets) {
            if (target.getName() != null) {
                names.add(target.getName());
            }
        }
        for (OutputField output : evaluator.getOutputFields()) {
            names.add(output.getName());
        }
        this.resultNames = List.copyOf(names);
        this.schema = describe(evaluator);
    }

    /** The same pipeline, with records scored by {@code compiled} (if not null) wherever it takes them. */
    private PmmlPipeline(PmmlPipeline jpmml, CompiledScorer compiled, String scoringNote) {
        this.evaluator = jpmml.evaluator;
        this.schema = jpmml.schema;
        this.inputFields = jpmml.inputFields;
        this.inputNames = jpmml.inputNames;
        this.primaryTargetKey = jpmml.primaryTargetKey;
        this.hasTarget = jpmml.hasTarget;
        this.classes = jpmml.classes;
        this.resultNames = jpmml.resultNames;
        this.compiled = compiled;
        this.scoringNote = scoringNote;
    }

    PmmlPipeline withCompiled(CompiledScorer scorer, String scoringNote) {
        return new PmmlPipeline(this, scorer, scoringNote);
    }

    /** The same pipeline, still scoring with jpmml, with a note that says why. */
    PmmlPipeline withNote(String scoringNote) {
        return new PmmlPipeline(this, null, scoringNote);
    }

    @Override
    public String scoringNote() {
        return scoringNote;
    }

    boolean isCompiled() {
        return compiled != null;
    }

    /** The compiled scorer, or {@code null} when every record goes to jpmml. */
    CompiledScorer compiled() {
        return compiled;
    }

    /** The names of {@link Prediction#fields()}, in order. */
    List<String> resultNames() {
        return resultNames;
    }

    @Override
    public ModelSchema schema() {
        return schema;
    }

    @Override
    public Prediction predict(Map<String, ?> record) {
        if (compiled != null) {
            Prediction prediction = compiled.predict(record);
            if (prediction != null) {
                return prediction;
            }
        }
        return predictWithJpmml(record);
    }

    /**
     * The record's input values as jpmml's own lazy preparation makes them from the raw record (the
     * same {@link FieldValue} classes and values), prepared here so that a refused value is reported
     * by field. A test holds the two equal on the corpus: a different class would send jpmml's tree
     * walk down its generic comparisons.
     */
    Map<String, FieldValue> prepare(Map<String, ?> record) {
        Map<String, FieldValue> arguments = new HashMap<>(inputFields.length * 2);
        for (int i = 0; i < inputFields.length; i++) {
            String name = inputNames[i];
            Object raw = record.get(name);
            try {
                arguments.put(name, inputFields[i].prepare(raw));
            } catch (EvaluationException | IllegalArgumentException e) {
                throw new InferenceException(ErrorCategory.INVALID_RECORD,
                        "input field \"" + name + "\": value " + quote(raw) + " is not accepted by the model ("
                                + reason(e) + ")", name, -1, e);
            }
        }
        return arguments;
    }

    /** Scores a record with jpmml, whether or not the model is compiled. */
    Prediction predictWithJpmml(Map<String, ?> record) {
        Map<String, FieldValue> arguments = prepare(record);
        Map<String, ?> results;
        try {
            results = evaluator.evaluate(arguments);
        } catch (MissingFieldException e) {
            // an EvaluationException to jpmml, but no record can fix a field the model never defines
            throw new InferenceException(ErrorCategory.INVALID_MODEL,
                    "the model refers to a field it does not define: " + reason(e), e);
        } catch (EvaluationException | IllegalArgumentException e) {
            throw new InferenceException(ErrorCategory.INVALID_RECORD,
                    "the model cannot score this record: " + reason(e), null, -1, e);
        } catch (MarkupException e) {
            throw new InferenceException(ErrorCategory.INVALID_MODEL,
                    "the model is invalid or uses PMML that is not supported: " + e.getMessage(), e);
        }
        Object target = hasTarget ? results.get(primaryTargetKey) : null;
        boolean probabilistic = classes.length > 0 && target instanceof HasProbability;
        Prediction.Builder prediction = Prediction.builder(probabilistic ? classes.length : 0, 0)
                .value(target == null ? null : EvaluatorUtil.decode(target));
        if (probabilistic) {
            HasProbability distribution = (HasProbability) target;
            for (Object label : classes) {
                prediction.probability(label, distribution.getProbability(label));
            }
        }
        // decoded when read: jpmml's result map is private to this evaluation and not changed after it
        prediction.fields(resultNames, name -> {
            Object value = results.get(name);
            return value == null ? null : EvaluatorUtil.decode(value);
        });
        // collected when read: one id per tree and record, and only leaf-number requests read them
        return prediction.entityIds(() -> entityIds(target)).build();
    }

    /**
     * The winning entity of a single model (a tree's leaf), or, for an ensemble, the winning entity
     * of every segment in segment order, flattening nested ensembles.
     */
    private static List<String> entityIds(Object target) {
        if (target instanceof HasSegmentResults ensemble) {
            Collection<? extends SegmentResult> segments = ensemble.getSegmentResults();
            if (segments == null) {
                return List.of();
            }
            List<String> ids = new ArrayList<>(segments.size());
            for (SegmentResult segment : segments) {
                ids.addAll(entityIds(segment.getTargetValue()));
            }
            return ids;
        }
        if (target instanceof HasEntityId entity) {
            String id = entity.getEntityId();
            return id == null ? List.of() : List.of(id);
        }
        return List.of();
    }

    private static String quote(Object raw) {
        if (raw == null) {
            return "null (missing)";
        }
        String text = String.valueOf(raw);
        if (text.length() > 100) {
            text = text.substring(0, 100) + "...";
        }
        return raw instanceof String ? "\"" + text + "\"" : text;
    }

    private static String reason(Exception e) {
        String message = e.getMessage();
        return message == null ? e.getClass().getSimpleName() : message;
    }

    private static ModelSchema describe(Evaluator evaluator) {
        List<InputFieldSchema> inputs = new ArrayList<>();
        for (InputField field : evaluator.getInputFields()) {
            List<?> discrete = field.getOpType() == OpType.CONTINUOUS ? null : field.getDiscreteDomain();
            RangeSet<Double> continuous = field.getOpType() == OpType.CONTINUOUS ? field.getContinuousDomain() : null;
            List<ValueRange> ranges = new ArrayList<>();
            if (continuous != null) {
                for (Range<Double> range : continuous.asRanges()) {
                    ranges.add(new ValueRange(
                            range.hasLowerBound() ? range.lowerEndpoint() : null,
                            range.hasLowerBound() && range.lowerBoundType() == com.google.common.collect.BoundType.CLOSED,
                            range.hasUpperBound() ? range.upperEndpoint() : null,
                            range.hasUpperBound() && range.upperBoundType() == com.google.common.collect.BoundType.CLOSED));
                }
            }
            inputs.add(new InputFieldSchema(field.getName(), lower(field.getDataType()), lower(field.getOpType()),
                    discrete == null ? List.of() : new ArrayList<>(discrete), ranges));
        }
        List<TargetFieldSchema> targets = new ArrayList<>();
        for (TargetField field : evaluator.getTargetFields()) {
            List<Object> categories = field.getCategories();
            targets.add(new TargetFieldSchema(field.getName() == null ? "" : field.getName(), lower(field.getDataType()),
                    lower(field.getOpType()), categories == null ? List.of() : categories));
        }
        List<OutputFieldSchema> outputs = new ArrayList<>();
        for (OutputField field : evaluator.getOutputFields()) {
            String dataType;
            String opType;
            try {
                dataType = lower(field.getDataType());
                opType = lower(field.getOpType());
            } catch (RuntimeException e) {
                // jpmml resolves some output types only during evaluation
                dataType = "unknown";
                opType = "unknown";
            }
            outputs.add(new OutputFieldSchema(field.getName(), dataType, opType,
                    String.valueOf(field.getField().getResultFeature().value())));
        }
        return new ModelSchema(lower(evaluator.getMiningFunction()), inputs, targets, outputs);
    }

    private static String lower(Object value) {
        if (value == null) {
            return "unknown";
        }
        String text = value instanceof org.dmg.pmml.StringValue<?> pmmlValue ? pmmlValue.value() : value.toString();
        return text.toLowerCase(Locale.ROOT);
    }
}
