package dev.pronto.pipeline.sklearn;

import java.util.List;

import org.dmg.pmml.DataField;
import org.dmg.pmml.DataType;
import org.dmg.pmml.DerivedField;
import org.dmg.pmml.FieldRef;
import org.dmg.pmml.MiningField;
import org.dmg.pmml.MiningFunction;
import org.dmg.pmml.MiningSchema;
import org.dmg.pmml.OpType;
import org.dmg.pmml.Output;
import org.dmg.pmml.OutputField;
import org.dmg.pmml.PMML;
import org.dmg.pmml.ResultFeature;
import org.dmg.pmml.regression.RegressionModel;
import org.dmg.pmml.regression.RegressionTable;

/**
 * Makes the PMML of a transformer-only pickle (a scikit-learn {@code Pipeline} of pre-processing
 * steps with no estimator, as the legacy Keras requests use) scorable: the converter writes its
 * transformations without a model element, which jpmml-evaluator refuses to evaluate. A pass-through
 * model (a regression that always answers 0) is added whose output fields
 * {@code transformed(<derived field>)} report every transformed value, in the order of the pipeline's
 * output columns, so the engine serves it like any model and callers read the output fields.
 */
final class TransformerOnlyModel {

    /** The result feature of the added output fields, as the model schema reports it. */
    static final String FEATURE = "transformedValue";

    private TransformerOnlyModel() {
    }

    /** Adds the pass-through model if the document has none; otherwise leaves it unchanged. */
    static void exposeTransformations(PMML pmml) {
        if (pmml.hasModels() || pmml.getTransformationDictionary() == null
                || !pmml.getTransformationDictionary().hasDerivedFields()) {
            return;
        }
        MiningSchema schema = new MiningSchema();
        for (DataField field : pmml.getDataDictionary().getDataFields()) {
            schema.addMiningFields(new MiningField(field.requireName()).setUsageType(MiningField.UsageType.ACTIVE));
        }
        Output output = new Output();
        for (DerivedField derived : pmml.getTransformationDictionary().getDerivedFields()) {
            output.addOutputFields(new OutputField("transformed(" + derived.requireName() + ")", OpType.CONTINUOUS,
                    DataType.DOUBLE).setResultFeature(ResultFeature.TRANSFORMED_VALUE)
                    .setExpression(new FieldRef(derived.requireName())));
        }
        pmml.addModels(new RegressionModel(MiningFunction.REGRESSION, schema, List.of(new RegressionTable(0d)))
                .setOutput(output));
    }
}
