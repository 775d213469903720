"""Writes the request bodies of the load tests: the seed's 2-record request, and n distinct Iris rows
for any other count, for Pronto's bundled models (suffix pmml, and onnx for the iris MLP) and the peer kit's models (peer, pkl).

    python3 bench/bodies.py FOLDER COUNT...      writes FOLDER/body-COUNT-SUFFIX.json
"""
import csv
import json
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
IRIS = os.path.join(ROOT, "inference-core/src/test/resources/conformance/cases/knime-KMeansIris/input.csv")
FEATURES = ["sepal_length", "sepal_width", "petal_length", "petal_width"]


def main(folder, counts):
    rows = [[float(v) for v in r[:4]] for r in list(csv.reader(open(IRIS)))[1:]]
    # every third row first, so that any prefix mixes the three species
    order = list(range(0, 150, 3)) + list(range(1, 150, 3)) + list(range(2, 150, 3))
    for n in counts:
        data = [[5.1, 3.5, 1.4, 0.2], [2.1, 5.5, 6.4, 0.2]] if n == 2 else [rows[order[i % 150]] for i in range(n)]
        for model, suffix in (("iris/model.pmml", "pmml"), ("iris/mlp.onnx", "onnx"), ("iris_lr.pmml", "peer"),
                              ("iris_lr.pkl", "pkl")):
            body = {"payload": [dict(zip(FEATURES, r)) for r in data], "pipelineFilename": model,
                    "implementation": "Logistic Regression"}
            with open(os.path.join(folder, "body-%d-%s.json" % (n, suffix)), "w") as out:
                out.write(json.dumps(body))


if __name__ == "__main__":
    main(sys.argv[1], [int(n) for n in sys.argv[2:]])
