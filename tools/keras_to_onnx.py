"""Exports a Keras network (.h5 or .keras) to ONNX, the only network format Pronto runs (docs/onnx.md).

Keras 3 exports ONNX itself once the model has been called; the torch backend is used because its exporter
needs nothing beyond torch and onnxscript. Optionally records the Pronto metadata the model needs:

  --classes 0,1,2        pronto.classes: the class labels in the column order of a [N,C] probability output
  --features a,b,c       pronto.features: the field names of a single [N,F] input's columns, in order
                         (leave it out for the legacy Keras request, whose pre-processing feeds the columns)

usage:
  pip install keras torch onnxscript onnx onnxruntime h5py numpy
  python3 keras_to_onnx.py model.h5 model.onnx --classes 0,1,2 [--features ...] [--check 4]

--check N feeds N rows of random numbers to Keras and to ONNX Runtime and prints the largest difference.
"""
import argparse
import os
import sys

os.environ.setdefault("KERAS_BACKEND", "torch")

import keras  # noqa: E402
import numpy as np  # noqa: E402
import onnx  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("source", help="the Keras model, .h5 or .keras")
    parser.add_argument("target", help="the ONNX file to write")
    parser.add_argument("--classes", help="pronto.classes, comma-separated labels")
    parser.add_argument("--features", help="pronto.features, comma-separated field names")
    parser.add_argument("--check", type=int, default=0, help="rows of random input to compare Keras and ONNX Runtime on")
    args = parser.parse_args()

    model = keras.models.load_model(args.source, compile=False)
    if len(model.inputs) != 1 or len(model.inputs[0].shape) != 2:
        sys.exit("the network must take one 2-D input [N,F]; it takes " + str([i.shape for i in model.inputs]))
    width = model.inputs[0].shape[1]
    sample = np.random.default_rng(0).normal(size=(max(args.check, 1), width)).astype(np.float32)
    expected = np.asarray(model.predict(sample, verbose=0))  # the call that builds the model for export

    model.export(args.target, format="onnx")
    exported = onnx.load(args.target)
    for key, value in (("pronto.classes", args.classes), ("pronto.features", args.features)):
        if value:
            entry = exported.metadata_props.add()
            entry.key, entry.value = key, ",".join(part.strip() for part in value.split(","))
    onnx.checker.check_model(exported)
    # one file: Pronto refuses weights kept in external data files
    onnx.save_model(exported, args.target, save_as_external_data=False)
    print("wrote", args.target, "inputs", [(i.name, [d.dim_value or d.dim_param for d in i.type.tensor_type.shape.dim])
                                          for i in exported.graph.input],
          "outputs", [o.name for o in exported.graph.output])

    if args.check:
        import onnxruntime as ort
        session = ort.InferenceSession(args.target, providers=["CPUExecutionProvider"])
        actual = session.run(None, {session.get_inputs()[0].name: sample})[0]
        print("max |Keras - ONNX Runtime| on %d rows: %.3g" % (args.check, float(np.abs(actual - expected).max())))


if __name__ == "__main__":
    main()
