#!/usr/bin/env python3
"""Asks a running Pronto for every conformance model once, so that all of them are loaded, and
prints how many loaded: bench/run.sh and bench/startup.sh read the server's RSS after it.

    python3 bench/load_corpus.py CORPUS_FOLDER http://127.0.0.1:PORT/invocations
"""
import csv
import json
import os
import sys
import urllib.error
import urllib.request

corpus, url = sys.argv[1], sys.argv[2]
loaded = 0
for case in sorted(os.listdir(corpus)):
    row = next(csv.DictReader(open(os.path.join(corpus, case, "input.csv"))))
    record = {k: (None if v in ("", "NA") else v) for k, v in row.items()}
    body = json.dumps({"payload": [record], "pipelineFilename": case + "/model.pmml", "implementation": "PMML"}).encode()
    request = urllib.request.Request(url, body, {"Content-Type": "application/json"})
    try:
        urllib.request.urlopen(request, timeout=120).read()
        loaded += 1
    except urllib.error.HTTPError as e:
        loaded += e.code != 404 and e.code < 500   # a 4xx about the record still loaded the model
print(loaded)
