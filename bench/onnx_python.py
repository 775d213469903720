"""Python onnxruntime on the same model and batches as OnnxCpuComparison, in thread CPU time.

usage: python3 onnx_python.py model.onnx input.csv [rounds] [recordsPerRound] [identity.onnx]
       python3 onnx_python.py --make-identity identity.onnx
The inputs are ready-made float32 arrays: this is the runtime's own cost, the floor of any server.
The identity model (one float [N,4] input "x" copied to its output) measures a run that computes
nothing: the fixed cost of a call into the runtime, the same model for Java and Python.
"""
import csv
import sys
import time

import numpy as np
import onnxruntime as ort


def make_identity(path):
    """Writes the identity model; needs the onnx package (only this mode does)."""
    import onnx
    from onnx import TensorProto, helper

    x = helper.make_tensor_value_info("x", TensorProto.FLOAT, ["N", 4])
    y = helper.make_tensor_value_info("y", TensorProto.FLOAT, ["N", 4])
    graph = helper.make_graph([helper.make_node("Identity", ["x"], ["y"])], "identity", [x], [y])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 8
    onnx.checker.check_model(model)
    onnx.save(model, path)


def session(path):
    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    return ort.InferenceSession(path, options, providers=["CPUExecutionProvider"])


def main():
    if sys.argv[1] == "--make-identity":
        make_identity(sys.argv[2])
        return
    model, data = sys.argv[1], sys.argv[2]
    rounds = int(sys.argv[3]) if len(sys.argv) > 3 else 10
    per_round = int(sys.argv[4]) if len(sys.argv) > 4 else 20000
    mlp = session(model)
    identity = session(sys.argv[5]) if len(sys.argv) > 5 else None
    features = mlp.get_modelmeta().custom_metadata_map["pronto.features"].split(",")
    with open(data) as f:
        rows = list(csv.DictReader(f))
    hundred = np.array([[float(rows[i % len(rows)][name]) for name in features] for i in range(100)], np.float32)
    one = hundred[:1].copy()
    name = mlp.get_inputs()[0].name
    # (label, session, input name, batch, runs per round)
    phases = [("session.run, batch of 100  ", mlp, name, hundred, per_round // 100),
              ("session.run, batch of 1    ", mlp, name, one, per_round // 10)]
    if identity is not None:
        phases += [("identity run, batch of 100 ", identity, "x", hundred, per_round // 100),
                   ("identity run, batch of 1   ", identity, "x", one, per_round // 10)]
    totals = [0.0] * len(phases)
    for round_ in range(-3, rounds):
        for index, (_, runner, input_name, batch, runs) in enumerate(phases):
            t0 = time.thread_time_ns()
            for _ in range(runs):
                runner.run(None, {input_name: batch})
            if round_ >= 0:
                totals[index] += time.thread_time_ns() - t0
    print("CPU ns/record over %d rounds, onnxruntime %s (Python), intra-op threads 1:" % (rounds, ort.__version__))
    for (label, _, _, batch, runs), total in zip(phases, totals):
        print("  Python %s  %9.1f" % (label, total / (rounds * runs * len(batch))))


if __name__ == "__main__":
    main()
