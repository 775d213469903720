"""Prints where the CPU went in an async-profiler collapsed-stack file: the top frames by self time,
then Pronto's own code and the usual suspects by inclusive time.

    python3 bench/profile_summary.py FILE.collapsed [TOP]
"""
import collections
import sys

# inclusive shares worth watching on the request path, besides Pronto's own frames
WATCH = ["logback", "dev/pronto/server/ServerApp.invocations", "dev/pronto/server/InvocationParser.parse",
         "dev/pronto/server/InvocationResponse.write", "dev/pronto/inference/InferenceEngine.predictIfLoaded",
         "org/jpmml", "io/javalin/http/servlet/JavalinServlet.handleSync", "writev", "futex"]


def main(path, top):
    self_time = collections.Counter()
    inclusive = collections.Counter()
    total = 0
    for line in open(path):
        stack, count = line.rstrip().rsplit(" ", 1)
        count = int(count)
        total += count
        frames = stack.split(";")
        self_time[frames[-1]] += count
        for key in WATCH:
            if key in stack:
                inclusive[key] += count
        for frame in set(frames):
            if frame.startswith("dev/pronto/"):
                inclusive[frame] += count
    print("%d samples" % total)
    print("\nself time, top %d frames:" % top)
    for frame, count in self_time.most_common(top):
        print("%6.1f%%  %s" % (100.0 * count / total, frame[:140]))
    print("\ninclusive time:")
    for frame, count in sorted(inclusive.items(), key=lambda item: -item[1]):
        if 100.0 * count / total >= 0.2:
            print("%6.1f%%  %s" % (100.0 * count / total, frame[:140]))


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 25)
