"""Makes the small hand-built ONNX fixtures in src/test/resources/onnx/fixtures.

Each graph is built with onnx.helper, so nothing is trained: the tests compute the expected outputs from
the formulas written next to each graph here. Run with onnx 1.23.1 (and numpy):

    python3 make_fixtures.py ../resources/onnx/fixtures

The conformance corpus in ../resources/onnx/conformance was made by its own scripts (see its README).
"""
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

OPSETS = [helper.make_opsetid("", 17), helper.make_opsetid("ai.onnx.ml", 3)]


def save(graph, folder, name, metadata=None, external=False):
    model = helper.make_model(graph, opset_imports=OPSETS, producer_name="pronto-fixtures")
    model.ir_version = 8
    for key, value in (metadata or {}).items():
        entry = model.metadata_props.add()
        entry.key, entry.value = key, value
    onnx.checker.check_model(model)
    path = os.path.join(folder, name)
    if external:
        onnx.save_model(model, path, save_as_external_data=True, all_tensors_to_one_file=True,
                        location=name + ".data", size_threshold=0)
    else:
        onnx.save_model(model, path)


def mixed_types(folder):
    """score = x_float + 2*x_double + 3*count + color_code + 100*flag, where color_code is red 10, green 20, else 0.

    One input per field, of every element type the conventions take, in both shapes [N] and [N,1].
    """
    nodes = [
        helper.make_node("Cast", ["x_float"], ["f"], to=TensorProto.DOUBLE),
        helper.make_node("Reshape", ["f", "flat"], ["f1"]),
        helper.make_node("Mul", ["x_double", "two"], ["d"]),
        helper.make_node("Cast", ["count"], ["c0"], to=TensorProto.DOUBLE),
        helper.make_node("Reshape", ["c0", "flat"], ["c1"]),
        helper.make_node("Mul", ["c1", "three"], ["c"]),
        helper.make_node("LabelEncoder", ["color"], ["k0"], domain="ai.onnx.ml", keys_strings=["red", "green"],
                         values_int64s=[10, 20], default_int64=0),
        helper.make_node("Cast", ["k0"], ["k1"], to=TensorProto.DOUBLE),
        helper.make_node("Reshape", ["k1", "flat"], ["k"]),
        helper.make_node("Cast", ["flag"], ["b0"], to=TensorProto.DOUBLE),
        helper.make_node("Mul", ["b0", "hundred"], ["b"]),
        helper.make_node("Sum", ["f1", "d", "c", "k", "b"], ["score"]),
    ]
    graph = helper.make_graph(nodes, "mixed_types", [
        helper.make_tensor_value_info("x_float", TensorProto.FLOAT, ["N", 1]),
        helper.make_tensor_value_info("x_double", TensorProto.DOUBLE, ["N"]),
        helper.make_tensor_value_info("count", TensorProto.INT64, ["N", 1]),
        helper.make_tensor_value_info("color", TensorProto.STRING, ["N", 1]),
        helper.make_tensor_value_info("flag", TensorProto.BOOL, ["N"]),
    ], [helper.make_tensor_value_info("score", TensorProto.DOUBLE, ["N"])], [
        numpy_helper.from_array(np.array([-1], dtype=np.int64), "flat"),
        numpy_helper.from_array(np.array(2.0), "two"),
        numpy_helper.from_array(np.array(3.0), "three"),
        numpy_helper.from_array(np.array(100.0), "hundred"),
    ])
    save(graph, folder, "mixed-types.onnx")


def string_labels_zipmap(folder, name="string-labels-zipmap.onnx", with_tensor=False):
    """scikit-learn-onnx style with zipmap=True: a LinearClassifier over [N,2] (a, b) with string classes.

    scores = [a - b, b, 0.5] (coefficients per class, no intercepts), softmax; label = arg-max class.
    with_tensor also makes the probability tensor a graph output, beside the ZipMap it feeds.
    """
    nodes = [
        helper.make_node("LinearClassifier", ["X"], ["label", "probability_tensor"], domain="ai.onnx.ml",
                         classlabels_strings=["bird", "cat", "dog"], coefficients=[1.0, -1.0, 0.0, 1.0, 0.0, 0.0],
                         intercepts=[0.0, 0.0, 0.5], multi_class=1, post_transform="SOFTMAX"),
        helper.make_node("ZipMap", ["probability_tensor"], ["output_probability"], domain="ai.onnx.ml",
                         classlabels_strings=["bird", "cat", "dog"]),
    ]
    graph = helper.make_graph(nodes, "string_labels", [
        helper.make_tensor_value_info("X", TensorProto.FLOAT, ["N", 2]),
    ], [
        helper.make_tensor_value_info("label", TensorProto.STRING, ["N"]),
        helper.make_value_info("output_probability", helper.make_sequence_type_proto(
            helper.make_map_type_proto(TensorProto.STRING, helper.make_tensor_type_proto(TensorProto.FLOAT, [])))),
    ] + ([helper.make_tensor_value_info("probability_tensor", TensorProto.FLOAT, ["N", 3])] if with_tensor else []))
    save(graph, folder, name, {"pronto.features": "a,b"})


def double_matrix_probabilities(folder):
    """One double [N,3] input (columns u, v, w by pronto.features), softmax([u + v, w]); classes no, yes."""
    nodes = [
        helper.make_node("MatMul", ["X", "W"], ["z"]),
        helper.make_node("Softmax", ["z"], ["probabilities"], axis=1),
    ]
    weights = np.array([[1.0, 0.0], [1.0, 0.0], [0.0, 1.0]])
    graph = helper.make_graph(nodes, "double_matrix", [
        helper.make_tensor_value_info("X", TensorProto.DOUBLE, ["N", 3]),
    ], [helper.make_tensor_value_info("probabilities", TensorProto.DOUBLE, ["N", 2])],
        [numpy_helper.from_array(weights, "W")])
    save(graph, folder, "double-matrix-probabilities.onnx", {"pronto.features": "u,v,w", "pronto.classes": "no,yes"})


def positional_regression(folder, name="positional-regression.onnx", batch="N", external=False):
    """y = 2*x[0] - x[1] + 0.5 on a float [N,2] input without pronto.features; output [N,1]."""
    nodes = [helper.make_node("Gemm", ["x", "W", "B"], ["y"])]
    graph = helper.make_graph(nodes, "positional", [
        helper.make_tensor_value_info("x", TensorProto.FLOAT, [batch, 2]),
    ], [helper.make_tensor_value_info("y", TensorProto.FLOAT, [batch, 1])], [
        numpy_helper.from_array(np.array([[2.0], [-1.0]], dtype=np.float32), "W"),
        numpy_helper.from_array(np.array([0.5], dtype=np.float32), "B"),
    ])
    save(graph, folder, name, external=external)


def unsupported_shape(folder):
    """An image-like input [N,2,2]: no tabular convention."""
    nodes = [helper.make_node("ReduceSum", ["image"], ["total"], keepdims=0)]
    graph = helper.make_graph(nodes, "image", [
        helper.make_tensor_value_info("image", TensorProto.FLOAT, ["N", 2, 2]),
    ], [helper.make_tensor_value_info("total", TensorProto.FLOAT, [])])
    save(graph, folder, "unsupported-shape.onnx")


def two_regression_outputs(folder):
    """Two float outputs: neither label + probabilities nor a single output."""
    nodes = [helper.make_node("Identity", ["a"], ["first"]), helper.make_node("Neg", ["a"], ["second"])]
    graph = helper.make_graph(nodes, "two_outputs", [
        helper.make_tensor_value_info("a", TensorProto.FLOAT, ["N"]),
    ], [helper.make_tensor_value_info("first", TensorProto.FLOAT, ["N"]),
        helper.make_tensor_value_info("second", TensorProto.FLOAT, ["N"])])
    save(graph, folder, "two-outputs.onnx")


def main():
    folder = sys.argv[1]
    os.makedirs(folder, exist_ok=True)
    mixed_types(folder)
    string_labels_zipmap(folder)
    string_labels_zipmap(folder, "zipmap-and-probability-tensor.onnx", with_tensor=True)
    double_matrix_probabilities(folder)
    positional_regression(folder)
    positional_regression(folder, "fixed-batch-regression.onnx", batch=1)
    positional_regression(folder, "external-data.onnx", external=True)
    unsupported_shape(folder)
    two_regression_outputs(folder)


if __name__ == "__main__":
    main()
