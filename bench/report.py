"""Prints bench/run.sh's tables (Markdown) from the files it collected in its scratch folder.

Usage: python3 bench/report.py SCRATCH_DIR

results.tsv columns: round server records requests duration_us p50_us p99_us socket_errors non2xx
                     server_cpu_ms wrk_cpu_ms other_cpu_ms check
ready.tsv: round server milliseconds-from-launch-to-ready; memory.tsv: server state MiB.
Each cell is the median over rounds; each ratio to the floor is taken within its own round (same
round, same records per request), then the median of those ratios is shown.
"""
import os
import statistics
import sys

TARGETS = {("pronto", "2"): 0.95, ("pronto", "100"): 0.45}


def median(values, fmt):
    values = [v for v in values if v is not None]
    return fmt % statistics.median(values) if values else "-"


def main(scratch):
    runs, failures, order = {}, {}, []
    for line in open(os.path.join(scratch, "results.tsv")):
        if not line.strip():
            continue
        rnd, server, records, requests, duration_us, p50, p99, sock, non2xx, cpu, wrk, other, check = \
            line.rstrip("\n").split("\t")
        key = (server, records)
        if key not in order:
            order.append(key)
        if requests == "-":
            failures.setdefault(key, []).append(check)
            continue
        seconds = int(duration_us) / 1e6
        runs.setdefault(key, []).append({
            "round": rnd, "rps": int(requests) / seconds, "p50": int(p50) / 1000, "p99": int(p99) / 1000,
            "errors": int(sock) + int(non2xx), "check": check,
            "cpu_us": int(cpu) * 1000 / max(int(requests), 1), "cores": int(cpu) / 1000 / seconds,
            "wrk": int(wrk) / 1000 / seconds, "other": max(int(other), 0) / 1000 / seconds})
    floor = {(r["round"], records): r["rps"] for (server, records), rs in runs.items() if server == "floor" for r in rs}

    print("| server | records/req | req/s | records/s | p50 ms | p99 ms | errors | server CPU µs/req "
          "| server cores | wrk cores | other cores | check | req/s vs floor | per round | target |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---|---|")
    for key in order:
        server, records = key
        rs = runs.get(key)
        if not rs:
            print("| %s | %s |%s %s | - | - | - |" % (server, records, " - |" * 9, "; ".join(sorted(set(failures[key])))))
            continue
        ratios = [r["rps"] / floor[(r["round"], records)] for r in rs if (r["round"], records) in floor]
        target = TARGETS.get(key)
        verdict = "-" if target is None or not ratios else "≥ %.2f: %s" % (
            target, "met" if statistics.median(ratios) >= target else "not met")
        print("| %s | %s | %s | %s | %s | %s | %d | %s | %s | %s | %s | %s | %s | %s | %s |" % (
            server, records, median([r["rps"] for r in rs], "%.0f"),
            median([r["rps"] * int(records) for r in rs], "%.0f"),
            median([r["p50"] for r in rs], "%.2f"), median([r["p99"] for r in rs], "%.2f"),
            sum(r["errors"] for r in rs), median([r["cpu_us"] for r in rs], "%.0f"),
            median([r["cores"] for r in rs], "%.2f"), median([r["wrk"] for r in rs], "%.2f"),
            median([r["other"] for r in rs], "%.2f"), "; ".join(sorted(set(r["check"] for r in rs))),
            median(ratios, "%.3f"), " ".join("%.2f" % r for r in ratios), verdict))

    ready = {}
    for line in open(os.path.join(scratch, "ready.tsv")):
        if line.strip():
            rnd, server, millis = line.split()
            ready.setdefault(server, []).append(int(millis))
    print()
    print("| server | launch to ready (/ping 200), ms, median | per round |")
    print("|---|---:|---|")
    for server, values in ready.items():
        print("| %s | %d | %s |" % (server, statistics.median(values), " ".join(map(str, values))))

    memory = os.path.join(scratch, "memory.tsv")
    if os.path.exists(memory):
        print()
        print("| server | state | RSS MiB |")
        print("|---|---|---:|")
        for line in open(memory):
            server, state, mib = line.rstrip("\n").split("\t")
            print("| %s | %s | %s |" % (server, state, mib))


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
