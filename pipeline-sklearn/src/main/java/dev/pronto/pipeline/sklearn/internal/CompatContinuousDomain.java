/*
 * Adapted from JPMML-SkLearn 1.9.0, Copyright (c) Villu Ruusmann, licensed under the GNU Affero
 * General Public License version 3 or later, like Pronto. Changed only where noted: pmml-model 1.7.7
 * (which jpmml-evaluator 1.7.7 needs) no longer has the Interval(Closure) constructor and renamed
 * NormContinuous.setOutliers to setOutlierTreatment, both of which JPMML-SkLearn 1.9.0 calls.
 */
package dev.pronto.pipeline.sklearn.internal;

import java.util.ArrayList;
import java.util.List;

import org.dmg.pmml.DataField;
import org.dmg.pmml.Interval;
import org.jpmml.converter.Feature;
import org.jpmml.converter.WildcardFeature;
import org.jpmml.python.ClassDictUtil;
import org.jpmml.sklearn.SkLearnEncoder;
import sklearn2pmml.decoration.ContinuousDomain;

/**
 * sklearn2pmml's {@code ContinuousDomain} for pmml-model 1.7.7: the parent does everything except
 * the valid-range intervals of {@code with_data}, which it would build with a constructor that is
 * gone; those are added here. Not API.
 */
public class CompatContinuousDomain extends ContinuousDomain {

    public CompatContinuousDomain(String module, String name) {
        super(module, name);
    }

    @Override
    public List<Feature> encodeFeatures(List<Feature> features, SkLearnEncoder encoder) {
        Boolean withData = getWithData();
        if (!Boolean.TRUE.equals(withData)) {
            return super.encodeFeatures(features, encoder);
        }
        List<Number> dataMin = getDataMin();
        List<Number> dataMax = getDataMax();
        ClassDictUtil.checkSize(features, dataMin, dataMax);
        List<Feature> encoded;
        // conversions are serialised (PickleConverter), so switching the attribute off and on is safe
        setattr("with_data", Boolean.FALSE);
        try {
            encoded = super.encodeFeatures(features, encoder);
        } finally {
            setattr("with_data", withData);
        }
        List<Feature> result = new ArrayList<>(encoded.size());
        for (int i = 0; i < encoded.size(); i++) {
            WildcardFeature wildcardFeature = asWildcardFeature(encoded.get(i));
            DataField dataField = wildcardFeature.getField();
            // changed: new Interval(Closure) no longer exists
            Interval interval = new Interval()
                    .setClosure(Interval.Closure.CLOSED_CLOSED)
                    .setLeftMargin(dataMin.get(i))
                    .setRightMargin(dataMax.get(i));
            dataField.addIntervals(interval);
            result.add(wildcardFeature.toContinuousFeature());
        }
        return result;
    }
}
