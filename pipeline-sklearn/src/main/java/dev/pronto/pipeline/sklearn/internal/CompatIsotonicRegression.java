/*
 * Adapted from JPMML-SkLearn 1.9.0, Copyright (c) Villu Ruusmann, licensed under the GNU Affero
 * General Public License version 3 or later, like Pronto. Changed only where noted: pmml-model 1.7.7
 * (which jpmml-evaluator 1.7.7 needs) no longer has the Interval(Closure) constructor and renamed
 * NormContinuous.setOutliers to setOutlierTreatment, both of which JPMML-SkLearn 1.9.0 calls.
 */
package dev.pronto.pipeline.sklearn.internal;

import java.util.Collections;
import java.util.List;

import org.dmg.pmml.DataType;
import org.dmg.pmml.DerivedField;
import org.dmg.pmml.LinearNorm;
import org.dmg.pmml.NormContinuous;
import org.dmg.pmml.OpType;
import org.dmg.pmml.OutlierTreatmentMethod;
import org.jpmml.converter.ContinuousFeature;
import org.jpmml.converter.Feature;
import org.jpmml.converter.SchemaUtil;
import org.jpmml.python.ClassDictUtil;
import org.jpmml.sklearn.SkLearnEncoder;
import sklearn.isotonic.IsotonicRegression;

/** scikit-learn's {@code IsotonicRegression} for pmml-model 1.7.7. Not API. */
public class CompatIsotonicRegression extends IsotonicRegression {

    public CompatIsotonicRegression(String module, String name) {
        super(module, name);
    }

    @Override
    public List<Feature> encodeFeatures(List<Feature> features, SkLearnEncoder encoder) {
        List<Number> xThresholds = getXThresholds();
        List<Number> yThresholds = getYThresholds();
        ClassDictUtil.checkSize(xThresholds, yThresholds);
        SchemaUtil.checkSize(1, features);
        Feature feature = features.get(0);
        OutlierTreatmentMethod outlierTreatment = parseOutlierTreatment(getOutOfBounds());
        // changed: setOutliers is called setOutlierTreatment in pmml-model 1.7.7
        NormContinuous normContinuous = new NormContinuous(feature.getName(), null)
                .setOutlierTreatment(outlierTreatment);
        for (int i = 0; i < xThresholds.size(); i++) {
            normContinuous.addLinearNorms(new LinearNorm(xThresholds.get(i), yThresholds.get(i)));
        }
        DerivedField derivedField = encoder.createDerivedField(createFieldName("isotonicRegression", feature),
                OpType.CONTINUOUS, DataType.DOUBLE, normContinuous);
        return Collections.singletonList(new ContinuousFeature(encoder, derivedField));
    }
}
