/*
 * Adapted from JPMML-SkLearn 1.9.0, Copyright (c) Villu Ruusmann, licensed under the GNU Affero
 * General Public License version 3 or later, like Pronto. Changed only where noted: pmml-model 1.7.7
 * (which jpmml-evaluator 1.7.7 needs) no longer has the Interval(Closure) constructor and renamed
 * NormContinuous.setOutliers to setOutlierTreatment, both of which JPMML-SkLearn 1.9.0 calls.
 */
package dev.pronto.pipeline.sklearn.internal;

import java.util.ArrayList;
import java.util.List;

import org.dmg.pmml.Apply;
import org.dmg.pmml.DataType;
import org.dmg.pmml.DefineFunction;
import org.dmg.pmml.DerivedField;
import org.dmg.pmml.Discretize;
import org.dmg.pmml.DiscretizeBin;
import org.dmg.pmml.FieldRef;
import org.dmg.pmml.Interval;
import org.dmg.pmml.OpType;
import org.dmg.pmml.PMMLFunctions;
import org.dmg.pmml.ParameterField;
import org.jpmml.converter.BinaryFeature;
import org.jpmml.converter.ContinuousFeature;
import org.jpmml.converter.ExpressionUtil;
import org.jpmml.converter.Feature;
import org.jpmml.converter.FieldNameUtil;
import org.jpmml.converter.IndexFeature;
import org.jpmml.python.ClassDictUtil;
import org.jpmml.python.TypeInfo;
import org.jpmml.sklearn.SkLearnEncoder;
import sklearn.preprocessing.KBinsDiscretizer;

/** scikit-learn's {@code KBinsDiscretizer} for pmml-model 1.7.7. Not API. */
public class CompatKBinsDiscretizer extends KBinsDiscretizer {

    public CompatKBinsDiscretizer(String module, String name) {
        super(module, name);
    }

    @Override
    public List<Feature> encodeFeatures(List<Feature> features, SkLearnEncoder encoder) {
        TypeInfo dtype = getDType();
        String encode = getEncode();
        List<Integer> numberOfBins = getNumberOfBins();
        List<List<Number>> binEdges = getBinEdges();
        ClassDictUtil.checkSize(numberOfBins, binEdges, features);
        List<Feature> result = new ArrayList<>();
        for (int i = 0; i < features.size(); i++) {
            List<Number> bins = binEdges.get(i);
            ClassDictUtil.checkSize(numberOfBins.get(i) + 1, bins);
            ContinuousFeature continuousFeature = addEps(features.get(i).toContinuousFeature(), encoder);
            List<Integer> labelCategories = new ArrayList<>();
            Discretize discretize = new Discretize(continuousFeature.getName())
                    .setDataType(dtype != null ? dtype.getDataType() : continuousFeature.getDataType());
            for (int j = 0; j < bins.size() - 1; j++) {
                Number leftMargin = j > 0 ? bins.get(j) : null;
                Number rightMargin = j < (bins.size() - 1) - 1 ? bins.get(j + 1) : null;
                // changed: new Interval(Closure) no longer exists
                Interval interval = new Interval()
                        .setClosure(Interval.Closure.CLOSED_OPEN)
                        .setLeftMargin(leftMargin)
                        .setRightMargin(rightMargin);
                labelCategories.add(j);
                discretize.addDiscretizeBins(new DiscretizeBin(j, interval));
            }
            DerivedField derivedField = encoder.createDerivedField(createFieldName("discretize", continuousFeature),
                    OpType.CATEGORICAL, discretize.getDataType(), discretize);
            switch (encode) {
                case "onehot", "onehot-dense" -> {
                    for (Integer label : labelCategories) {
                        result.add(new BinaryFeature(encoder, derivedField, label));
                    }
                }
                case "ordinal" -> result.add(new IndexFeature(encoder, derivedField, labelCategories));
                default -> throw new IllegalArgumentException(encode);
            }
        }
        return result;
    }

    private static ContinuousFeature addEps(ContinuousFeature continuousFeature, SkLearnEncoder encoder) {
        DefineFunction defineFunction = encoder.getDefineFunction("add_eps");
        if (defineFunction == null) {
            defineFunction = encodeAddEps("add_eps");
            encoder.addDefineFunction(defineFunction);
        }
        Apply apply = ExpressionUtil.createApply(defineFunction, continuousFeature.ref());
        DerivedField derivedField = encoder.createDerivedField(FieldNameUtil.create(defineFunction, continuousFeature.getName()),
                defineFunction.requireOpType(), defineFunction.requireDataType(), apply);
        return new ContinuousFeature(encoder, derivedField);
    }

    /** {@code x + (atol + rtol * abs(x))}, as scikit-learn widens the bin edges. */
    private static DefineFunction encodeAddEps(String name) {
        ParameterField valueField = new ParameterField("x");
        Apply apply = ExpressionUtil.createApply(PMMLFunctions.ADD, new FieldRef(valueField),
                ExpressionUtil.createApply(PMMLFunctions.ADD, ExpressionUtil.createConstant(1.0e-8),
                        ExpressionUtil.createApply(PMMLFunctions.MULTIPLY, ExpressionUtil.createConstant(1.0e-5),
                                ExpressionUtil.createApply(PMMLFunctions.ABS, new FieldRef(valueField)))));
        return new DefineFunction(name, OpType.CONTINUOUS, DataType.DOUBLE, null, apply).addParameterFields(valueField);
    }
}
