#!/usr/bin/env python3
"""Writes N iris rows (id + the four inputs of examples/models/iris) as CSV, the data of the Spark figures
in docs/spark.md: the same shape as the CLI's large-file test. Usage: iris-rows.py N OUT.csv"""
import random
import sys

rows, out = int(sys.argv[1]), sys.argv[2]
rnd = random.Random(7)


def tenth(low, high):
    return round(low + rnd.random() * (high - low), 1)


with open(out, "w") as f:
    f.write("id,sepal_length,sepal_width,petal_length,petal_width\n")
    for i in range(rows):
        f.write(f"{i},{tenth(4, 8)},{tenth(2, 4.5)},{tenth(1, 7)},{tenth(0.1, 2.5)}\n")
