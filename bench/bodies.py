"""Writes the request bodies of the load tests: the seed's 2-record request, and n distinct Iris rows
for any other count, for Pronto's bundled models (suffix pmml, and onnx for the iris MLP) and the peer kit's models (peer, pkl);
or, with --tree, the first n rows of a corpus case's input.csv for the model tree.pmml (suffix tree).

    python3 bench/bodies.py FOLDER COUNT...                  writes FOLDER/body-COUNT-SUFFIX.json
    python3 bench/bodies.py --tree INPUT_CSV FOLDER COUNT...  writes FOLDER/body-COUNT-tree.json
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


def tree(input_csv, folder, counts):
    rows = list(csv.DictReader(open(input_csv)))
    # the target column (also in expected.csv) is no input: the server refuses unknown keys
    outputs = set(next(csv.reader(open(os.path.join(os.path.dirname(input_csv), "expected.csv")))))
    rows = [{k: v for k, v in row.items() if k not in outputs} for row in rows]

    def cell(text):
        if text in ("NA", "N/A"):
            return None
        try:
            return float(text)
        except ValueError:
            return text

    for n in counts:
        # the rows in order, repeated if the case has fewer than n
        payload = [{k: cell(v) for k, v in rows[i % len(rows)].items()} for i in range(n)]
        body = {"payload": payload, "pipelineFilename": "tree.pmml", "implementation": "PMML"}
        with open(os.path.join(folder, "body-%d-tree.json" % n), "w") as out:
            out.write(json.dumps(body))


if __name__ == "__main__":
    if sys.argv[1] == "--tree":
        tree(sys.argv[2], sys.argv[3], [int(n) for n in sys.argv[4:]])
    else:
        main(sys.argv[1], [int(n) for n in sys.argv[2:]])
