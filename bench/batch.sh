#!/usr/bin/env bash
# Command-line scoring throughput (issue 17): `pronto score` on ROWS rows (1,000,000) of the bundled
# iris model and of a tree-ensemble case of the conformance corpus (TREE_CASE), with --threads 1 and
# --threads 2 in -Xmx256m, one after the other in one run; prints records/s (as the CLI reports it),
# wall time, CPU seconds (user + system, less sensitive than wall time to other load on the machine) and
# peak RSS per run, and the 2-thread/1-thread ratio (the issue's goal: >= 1.6 on 2 cores).
# Then the in-process engine's single-thread rate on the same rows (bench/EngineRate.java, thread CPU time).
# JAVA_OPTS adds JVM options to the CLI runs (e.g. -XX:StartFlightRecording=... or an -agentpath: to profile).
#
#   ./mvnw -q -pl inference-server -am package -DskipTests && bench/batch.sh
#
# Environment (optional): ROWS (1000000), TREE_CASE (sklearn-GradientBoostingIris), JAVA (java), JAVA_OPTS,
# JAR (another build, e.g. to compare before and after a change).
# Needs python3 and /usr/bin/time (Debian package time).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
JAR=${JAR:-$ROOT/inference-server/target/pronto-server.jar}
ROWS=${ROWS:-1000000}
TREE_CASE=${TREE_CASE:-sklearn-GradientBoostingIris}
CORPUS=$ROOT/inference-core/src/test/resources/conformance/cases
JAVA=${JAVA:-java}
[ -f "$JAR" ] || { echo "bench/batch.sh: build $JAR first" >&2; exit 1; }
SCRATCH=$(mktemp -d /tmp/pronto-batch.XXXXXX)

# make ROWS rows by cycling a CSV's data rows, with an id column first
python3 - "$ROWS" "$SCRATCH" "$CORPUS/$TREE_CASE/input.csv" <<'PY'
import csv, os, sys
rows, folder = int(sys.argv[1]), sys.argv[2]
sources = {"iris": None, "tree": sys.argv[3]}
iris_header = ["sepal_length", "sepal_width", "petal_length", "petal_width"]
iris_rows = [["5.1", "3.5", "1.4", "0.2"], ["7.0", "3.2", "4.7", "1.4"], ["6.3", "3.3", "6.0", "2.5"], ["5.9", "3.0", "4.2", "1.5"]]
for name, path in sources.items():
    if path is None:
        header, data = iris_header, iris_rows
    else:
        with open(path) as f:
            reader = csv.reader(f)
            header = next(reader)
            data = list(reader)
    with open(os.path.join(folder, name + ".csv"), "w", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["id"] + header)
        for i in range(rows):
            writer.writerow([i] + data[i % len(data)])
PY

printf '| model | threads | records/s | wall s | CPU s | peak RSS MiB |\n|---|---:|---:|---:|---:|---:|\n'
for model in iris tree; do
    if [ "$model" = iris ]; then root=$ROOT/examples/models; location=iris/model.pmml; else root=$CORPUS; location=$TREE_CASE/model.pmml; fi
    declare -A rate=()
    for threads in 1 2; do
        /usr/bin/time -f "%e %M %U %S" -o "$SCRATCH/time" "$JAVA" -Xmx256m ${JAVA_OPTS:-} -jar "$JAR" score --model-root "$root" \
            --model "$location" --input "$SCRATCH/$model.csv" --output "$SCRATCH/$model-$threads.out.csv" \
            --threads "$threads" --id-column id 2> "$SCRATCH/$model-$threads.err"
        rate[$threads]=$(grep -o '([0-9]* records/s)' "$SCRATCH/$model-$threads.err" | tail -1 | tr -dc 0-9)
        read -r wall rss user system < "$SCRATCH/time"
        cpu=$(python3 -c "import sys; print('%.2f' % (float(sys.argv[1]) + float(sys.argv[2])))" "$user" "$system")
        printf '| %s | %s | %s | %s | %s | %s |\n' "$location" "$threads" "${rate[$threads]}" "$wall" "$cpu" "$((rss / 1024))"
    done
    cmp -s "$SCRATCH/$model-1.out.csv" "$SCRATCH/$model-2.out.csv" || echo "bench/batch.sh: outputs of 1 and 2 threads differ for $location" >&2
    python3 -c "import sys; print('%s: 2 threads / 1 thread = %.2f' % (sys.argv[1], int(sys.argv[3]) / int(sys.argv[2])))" \
        "$location" "${rate[1]}" "${rate[2]}"
    "$JAVA" -Xmx256m -cp "$JAR" "$ROOT/bench/EngineRate.java" "$root" "$location" "$SCRATCH/$model.csv" 2> "$SCRATCH/engine.err" \
        || echo "bench/batch.sh: bench/EngineRate.java failed (it needs a build of this version): $(tail -1 "$SCRATCH/engine.err")" >&2
done
echo "files in $SCRATCH"
