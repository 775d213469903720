/*
 * Adapted from JPMML-SkLearn 1.9.0, Copyright (c) Villu Ruusmann, licensed under the GNU Affero
 * General Public License version 3 or later, like Pronto. Changed only where noted: pmml-model 1.7.7
 * (which jpmml-evaluator 1.7.7 needs) no longer has the Interval(Closure) constructor and renamed
 * NormContinuous.setOutliers to setOutlierTreatment, both of which JPMML-SkLearn 1.9.0 calls.
 */
package dev.pronto.pipeline.sklearn.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.dmg.pmml.Apply;
import org.dmg.pmml.DataType;
import org.dmg.pmml.DerivedField;
import org.dmg.pmml.Discretize;
import org.dmg.pmml.DiscretizeBin;
import org.dmg.pmml.Interval;
import org.dmg.pmml.OpType;
import org.dmg.pmml.PMMLFunctions;
import org.jpmml.converter.CategoricalFeature;
import org.jpmml.converter.ContinuousFeature;
import org.jpmml.converter.ExpressionUtil;
import org.jpmml.converter.Feature;
import org.jpmml.converter.FeatureUtil;
import org.jpmml.converter.IndexFeature;
import org.jpmml.converter.TypeUtil;
import org.jpmml.python.ClassDictUtil;
import org.jpmml.sklearn.SkLearnEncoder;
import sklearn2pmml.preprocessing.CutTransformer;

/** sklearn2pmml's {@code CutTransformer} for pmml-model 1.7.7. Not API. */
public class CompatCutTransformer extends CutTransformer {

    public CompatCutTransformer(String module, String name) {
        super(module, name);
    }

    @Override
    @SuppressWarnings({"unchecked", "rawtypes"})
    public List<Feature> encodeFeatures(List<Feature> features, SkLearnEncoder encoder) {
        List<Number> bins = getBins();
        List<?> labels = getLabels();
        Boolean right = getRight();
        Boolean includeLowest = getIncludeLowest();
        ClassDictUtil.checkSize(1, features);
        DataType dataType;
        if (labels != null) {
            ClassDictUtil.checkSize(bins.size() - 1, labels);
            dataType = TypeUtil.getDataType(labels, DataType.STRING);
        } else {
            dataType = DataType.INTEGER;
        }
        Feature feature = features.get(0);
        Interval.Closure closure = right ? Interval.Closure.OPEN_CLOSED : Interval.Closure.CLOSED_OPEN;
        ContinuousFeature continuousFeature = feature.toContinuousFeature();
        List<Object> labelCategories = new ArrayList<>();
        Discretize discretize = new Discretize(continuousFeature.getName()).setDataType(dataType);
        for (int i = 0; i < bins.size() - 1; i++) {
            // changed: new Interval(Closure) no longer exists
            Interval interval = new Interval()
                    .setClosure(closure)
                    .setLeftMargin(formatMargin(bins.get(i)))
                    .setRightMargin(formatMargin(bins.get(i + 1)));
            if (i == 0 && includeLowest && interval.requireClosure() == Interval.Closure.OPEN_CLOSED) {
                interval.setClosure(Interval.Closure.CLOSED_CLOSED);
            }
            Object label = labels != null ? labels.get(i) : i;
            labelCategories.add(label);
            discretize.addDiscretizeBins(new DiscretizeBin(label, interval));
        }
        List<DiscretizeBin> discretizeBins = discretize.getDiscretizeBins();
        if (discretizeBins.size() == 1) {
            DiscretizeBin discretizeBin = discretizeBins.get(0);
            Interval interval = discretizeBin.requireInterval();
            Object binValue = discretizeBin.requireBinValue();
            if (interval.getLeftMargin() == null && interval.getRightMargin() == null) {
                Apply apply = ExpressionUtil.createApply(PMMLFunctions.IF,
                        ExpressionUtil.createApply(PMMLFunctions.ISNOTMISSING, continuousFeature.ref()),
                        ExpressionUtil.createConstant(null, binValue));
                DerivedField derivedField = encoder.createDerivedField(createFieldName("cut", continuousFeature),
                        OpType.CATEGORICAL, dataType, apply);
                return Collections.singletonList(FeatureUtil.createFeature(derivedField, encoder));
            }
        }
        DerivedField derivedField = encoder.createDerivedField(createFieldName("cut", continuousFeature),
                OpType.CATEGORICAL, dataType, discretize);
        Feature result = labels != null
                ? new CategoricalFeature(encoder, derivedField, labelCategories)
                : new IndexFeature(encoder, derivedField, (List) labelCategories);
        return Collections.singletonList(result);
    }

    private static Double formatMargin(Number number) {
        double value = number.doubleValue();
        return Double.isInfinite(value) ? null : value;
    }
}
