#!/usr/bin/env bash
# Long fuzz run of one Jazzer target (docs/security.md, "Fuzzing and soak"): up to RUNS inputs or
# DURATION seconds, whichever comes first, at a low CPU priority, then one summary line.
#
#   bench/fuzz.sh request            InvocationFuzzTest (request parsing), 1,000,000 inputs or 4 h
#   bench/fuzz.sh records            RecordBodyFuzzTest (CSV and JSON Lines bodies)
#   bench/fuzz.sh model              PmmlLoadingFuzzTest (model loading)
#   DURATION=3600 bench/fuzz.sh model -o     one hour; arguments after the target go to Maven
#
# Environment (all optional): RUNS (1000000), DURATION (14400, seconds), NICE (10: the machine is
# usually shared; 0 for a dedicated one). A finding is written by Jazzer into the target's
# src/test/resources/.../<Test>Inputs/<method>/ as crash-<sha1>: a plain build then replays it, so
# commit it (renamed to say what it is) with the fix. The corpus grown so far stays in
# <module>/.cifuzz-corpus/ (ignored by git) and a later run starts from it.
# Exit status: Maven's, so 1 when the run found something.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"

case "${1:-}" in
    request) MODULE=inference-server; TEST=InvocationFuzzTest; ALSO_MAKE=-am
             INCLUDES='dev.pronto.**:com.fasterxml.jackson.**:org.jpmml.**' ;;
    records) MODULE=inference-server; TEST=RecordBodyFuzzTest; ALSO_MAKE=-am
             INCLUDES='dev.pronto.**:com.fasterxml.jackson.**:org.jpmml.**' ;;
    model)   MODULE=inference-core; TEST=PmmlLoadingFuzzTest; ALSO_MAKE=
             INCLUDES='dev.pronto.**:org.jpmml.**' ;;
    *) echo "usage: bench/fuzz.sh request|records|model [maven arguments]" >&2; exit 2 ;;
esac
shift
RUNS=${RUNS:-1000000}
DURATION=${DURATION:-14400}
NICE=${NICE:-10}
LOG=$ROOT/$MODULE/target/fuzz-$TEST.log
mkdir -p "$(dirname "$LOG")"

echo "[$(date -u +%H:%M:%S)] $TEST: up to $RUNS inputs or ${DURATION}s at nice $NICE; log $LOG" >&2
started=$(date +%s)
# Jazzer 0.24.0 takes the annotation's maxExecutions/maxDuration and then libFuzzer arguments from
# the JUnit parameters jazzer.internal.arg.N (N=0 is the program name), which win; JUnit reads
# them from system properties, which Surefire passes on from -D. JAZZER_MAX_DURATION is not read.
status=0
nice -n "$NICE" env JAZZER_FUZZ=1 JAZZER_INSTRUMENTATION_INCLUDES="$INCLUDES" \
    ./mvnw -B -pl "$MODULE" $ALSO_MAKE test -Dtest="$TEST" -Dsurefire.failIfNoSpecifiedTests=false \
    -Djazzer.internal.arg.0=fuzz -Djazzer.internal.arg.1=-max_total_time="$DURATION" \
    -Djazzer.internal.arg.2=-runs="$RUNS" "$@" > "$LOG" 2>&1 || status=$?
elapsed=$(($(date +%s) - started))

# libFuzzer's progress lines ("#<inputs> ... exec/s: <rate>") land in Surefire's output file
OUTPUT=$ROOT/$MODULE/target/surefire-reports/dev.pronto.*.$TEST-output.txt
last=$(cat $OUTPUT "$LOG" 2>/dev/null | grep -E '^#[0-9]+' | tail -1 || true)
inputs=$(echo "$last" | sed -n 's/^#\([0-9]*\).*/\1/p')
done_line=$(cat $OUTPUT "$LOG" 2>/dev/null | grep -E '^Done [0-9]+ runs' | tail -1 || true)
[ -n "$done_line" ] && inputs=$(echo "$done_line" | awk '{print $2}')
echo "$TEST: ${inputs:-?} inputs in ${elapsed}s (Maven included); last progress: ${last:-none}; ${done_line:-no libFuzzer 'Done' line}; Maven exit $status"
findings=$(find "$MODULE/src/test/resources" -path "*/${TEST}Inputs/*" -name 'crash-*' | sort)
[ -z "$findings" ] || echo "findings to replay and fix (a plain build runs them):" $findings
exit "$status"
