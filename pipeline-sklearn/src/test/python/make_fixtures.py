#!/usr/bin/python3
"""Makes the plain scikit-learn fixtures of pipeline-sklearn's tests.

Run with Debian's scikit-learn (apt-get install python3-sklearn python3-sklearn-pandas), from
the module folder:

    /usr/bin/python3 src/test/python/make_fixtures.py src/test/resources/sklearn

CI does not have scikit-learn, so the outputs are committed. Each case folder gets
  model.pkl     the fitted object, written with joblib.dump (as the seed's users do)
  input.csv     the rows to score, with the column names the model expects; N/A is a missing value
  expected.csv  what scikit-learn itself predicted for those rows, named like the PMML
                result fields: the target "y" and "probability(<class>)"
  names.txt     only for models fitted on numpy arrays, which carry no input names: the
                names the test configures with pipeline.sklearn.feature-names
Error fixtures get only model.pkl. Everything is seeded, so reruns give the same numbers
(the pickles themselves may differ byte for byte).
"""
import os
import pickle
import shutil
import sys

import joblib
import numpy as np
import pandas as pd
import sklearn
import sklearn.base
from sklearn.compose import ColumnTransformer
from sklearn.datasets import load_iris
from sklearn.ensemble import GradientBoostingRegressor, RandomForestClassifier
from sklearn.kernel_approximation import Nystroem
from sklearn.linear_model import LinearRegression, LogisticRegression
from sklearn.pipeline import Pipeline
from sklearn.impute import SimpleImputer
from sklearn.preprocessing import LabelBinarizer, OneHotEncoder, StandardScaler
from sklearn.semi_supervised import LabelPropagation
from sklearn.tree import DecisionTreeClassifier
from sklearn_pandas import DataFrameMapper

OUT = sys.argv[1] if len(sys.argv) > 1 else "src/test/resources/sklearn"
IRIS_COLUMNS = ["sepal_length", "sepal_width", "petal_length", "petal_width"]


def iris():
    data = load_iris()
    frame = pd.DataFrame(data.data, columns=IRIS_COLUMNS)
    species = pd.Series(np.array(data.target_names)[data.target], name="species")
    return frame, species


def synthetic(rows=300):
    """Numeric and string columns with a known relation, for ColumnTransformer pipelines."""
    rng = np.random.RandomState(42)
    frame = pd.DataFrame({
        "age": rng.randint(18, 80, rows).astype(float),
        "income": np.round(rng.lognormal(10, 0.5, rows), 2),
        "colour": rng.choice(["red", "green", "blue"], rows),
        "region": rng.choice(["north", "south", "east", "west"], rows),
    })
    score = (0.03 * frame.age + frame.income / 20000.0 + (frame.colour == "red") * 1.5
             - (frame.region == "west") * 1.0 + rng.normal(0, 0.3, rows))
    return frame, score


def fmt(value):
    if isinstance(value, (float, np.floating)) and np.isnan(value):
        return "N/A"
    if isinstance(value, (float, np.floating)):
        return repr(float(value))
    if isinstance(value, (np.integer,)):
        return str(int(value))
    return str(value)


def write_csv(path, frame):
    with open(path, "w") as out:
        out.write(",".join(frame.columns) + "\n")
        for row in frame.itertuples(index=False):
            out.write(",".join(fmt(v) for v in row) + "\n")


def case(name, model, inputs, names=None, compress=0):
    folder = os.path.join(OUT, name)
    os.makedirs(folder, exist_ok=True)
    joblib.dump(model, os.path.join(folder, "model.pkl"), compress=compress)
    frame = inputs if isinstance(inputs, pd.DataFrame) else pd.DataFrame(inputs, columns=names)
    write_csv(os.path.join(folder, "input.csv"), frame)
    x = inputs
    expected = pd.DataFrame({"y": model.predict(x)})
    if hasattr(model, "predict_proba"):
        probabilities = model.predict_proba(x)
        for i, label in enumerate(model.classes_):
            expected["probability(%s)" % label] = probabilities[:, i]
    write_csv(os.path.join(folder, "expected.csv"), expected)
    if names is not None:
        with open(os.path.join(folder, "names.txt"), "w") as out:
            out.write(",".join(names) + "\n")


def error_case(name, obj):
    folder = os.path.join(OUT, name)
    os.makedirs(folder, exist_ok=True)
    joblib.dump(obj, os.path.join(folder, "model.pkl"))


class FixtureScaler(sklearn.base.BaseEstimator, sklearn.base.TransformerMixin):
    """A user's own transformer: its class lives in the user's code, which the converter cannot know."""

    def fit(self, x, y=None):
        return self

    def transform(self, x):
        return x * 2.0


def main():
    x, species = iris()
    xs, score = synthetic()
    above = np.where(score > score.median(), "high", "low")

    # a bare fitted estimator, fitted on a DataFrame: input names from feature_names_in_
    case("bare-logistic-iris", LogisticRegression(max_iter=1000).fit(x, species), x)

    # the same, as joblib writes it compressed (zlib and gzip streams)
    case("compressed-zlib-logistic-iris", LogisticRegression(max_iter=1000).fit(x, species), x, compress=3)
    case("compressed-gzip-logistic-iris", LogisticRegression(max_iter=1000).fit(x, species), x, compress=("gzip", 3))

    # a plain Pipeline
    case("pipeline-scaler-tree-iris", Pipeline([
        ("scaler", StandardScaler()),
        ("tree", DecisionTreeClassifier(max_depth=4, random_state=13)),
    ]).fit(x, species), x)

    # a ColumnTransformer pipeline with string categories, classification and regression
    preprocess = ColumnTransformer([
        ("numbers", StandardScaler(), ["age", "income"]),
        ("categories", OneHotEncoder(handle_unknown="ignore"), ["colour", "region"]),
    ])
    case("columntransformer-forest-synthetic", Pipeline([
        ("preprocess", preprocess),
        ("forest", RandomForestClassifier(n_estimators=15, max_depth=5, random_state=7)),
    ]).fit(xs, above), xs)
    case("columntransformer-boosting-synthetic", Pipeline([
        ("preprocess", sklearn.base.clone(preprocess)),
        ("boosting", GradientBoostingRegressor(n_estimators=30, max_depth=3, random_state=7)),
    ]).fit(xs, score), xs)

    # the seed's shape: a "mapper" step (sklearn_pandas DataFrameMapper) and a "model" step
    mapper = DataFrameMapper([
        (["sepal_length", "sepal_width"], StandardScaler()),
        (["petal_length", "petal_width"], None),
    ])
    case("mapper-model-iris", Pipeline([
        ("mapper", mapper),
        ("model", LogisticRegression(max_iter=1000)),
    ]).fit(x, species), x)
    # the same pickle is the bundled example model and the converter's built-in warm-up (WarmUpTest checks both)
    module = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
    for copy in (os.path.join(module, "src", "main", "resources", "dev", "pronto", "pipeline", "sklearn", "warm-up.pkl"),
                 os.path.join(module, "..", "examples", "models", "iris", "iris.pickle")):
        shutil.copyfile(os.path.join(OUT, "mapper-model-iris", "model.pkl"), copy)

    # the seed's shape on mixed data with missing values: a string column selector with a binarizer,
    # a list of transformers per column, and a forest as the model
    holes = xs.copy()
    holes.loc[::7, "income"] = np.nan
    mixed_mapper = DataFrameMapper([
        (["age"], StandardScaler()),
        (["income"], [SimpleImputer(strategy="median"), StandardScaler()]),
        ("colour", LabelBinarizer()),
        ("region", LabelBinarizer()),
    ])
    case("mapper-model-mixed-synthetic", Pipeline([
        ("mapper", mixed_mapper),
        ("model", RandomForestClassifier(n_estimators=10, max_depth=4, random_state=5)),
    ]).fit(holes, above), holes)

    # fitted on numpy arrays: no input names in the pickle, the test configures them
    numbers = xs[["age", "income"]].to_numpy()
    case("numpy-linear-regression", LinearRegression().fit(numbers, score.to_numpy()), numbers,
         names=["age", "income"])
    case("numpy-columntransformer-tree", Pipeline([
        ("preprocess", ColumnTransformer([("scale", StandardScaler(), [0, 1])], remainder="passthrough")),
        ("tree", DecisionTreeClassifier(max_depth=3, random_state=3)),
    ]).fit(x.to_numpy(), species.to_numpy()), x.to_numpy(), names=IRIS_COLUMNS)

    # errors
    error_case("error-not-sklearn", {"weights": [1.0, 2.0], "name": "not a model"})
    error_case("error-unsupported-estimator", LabelPropagation().fit(x, species))
    error_case("error-unsupported-transformer", Pipeline([
        ("kernel", Nystroem(n_components=5, random_state=1)),
        ("model", LogisticRegression(max_iter=1000)),
    ]).fit(x, species))
    error_case("error-custom-transformer", Pipeline([
        ("mine", FixtureScaler()),
        ("model", LogisticRegression(max_iter=1000)),
    ]).fit(x, species))
    # what a newer scikit-learn writes: BaseEstimator.__getstate__ stamps the running version
    real_version = sklearn.base.__version__
    sklearn.base.__version__ = "1.7.1"
    try:
        error_case("error-future-version", DecisionTreeClassifier(max_depth=2, random_state=1).fit(x, species))
    finally:
        sklearn.base.__version__ = real_version
    print("scikit-learn", sklearn.__version__, "fixtures written to", OUT)


if __name__ == "__main__":
    main()
