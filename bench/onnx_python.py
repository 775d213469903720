"""Python onnxruntime on the same model and batches as OnnxCpuComparison, in thread CPU time.

usage: python3 onnx_python.py model.onnx input.csv [rounds] [recordsPerRound]
The inputs are ready-made float32 arrays: this is the runtime's own cost, the floor of any server.
"""
import csv
import sys
import time

import numpy as np
import onnxruntime as ort


def main():
    model, data = sys.argv[1], sys.argv[2]
    rounds = int(sys.argv[3]) if len(sys.argv) > 3 else 10
    per_round = int(sys.argv[4]) if len(sys.argv) > 4 else 20000
    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    session = ort.InferenceSession(model, options, providers=["CPUExecutionProvider"])
    features = session.get_modelmeta().custom_metadata_map["pronto.features"].split(",")
    with open(data) as f:
        rows = list(csv.DictReader(f))
    hundred = np.array([[float(rows[i % len(rows)][name]) for name in features] for i in range(100)], np.float32)
    one = hundred[:1].copy()
    name = session.get_inputs()[0].name
    totals = [0.0, 0.0]
    for round_ in range(-3, rounds):
        t0 = time.thread_time_ns()
        for _ in range(per_round // 100):
            session.run(None, {name: hundred})
        t1 = time.thread_time_ns()
        for _ in range(per_round // 10):
            session.run(None, {name: one})
        t2 = time.thread_time_ns()
        if round_ >= 0:
            totals[0] += t1 - t0
            totals[1] += t2 - t1
    records = rounds * per_round
    print("CPU ns/record over %d rounds, onnxruntime %s (Python), intra-op threads 1:" % (rounds, ort.__version__))
    print("  Python session.run, batch of 100      %9.1f" % (totals[0] / records))
    print("  Python session.run, batch of 1        %9.1f" % (totals[1] / (records / 10)))


if __name__ == "__main__":
    main()
