"""A benign task of the kind an agent writes: summarise the measurements in
data/, with the standard library's json, threading, multiprocessing and
subprocess; scratch files in $TMPDIR, results in out/.  Prints what it did;
tests/workloads/python/check compares that and out/summary.json."""
import json
import multiprocessing
import os
import queue
import subprocess
import sys
import tempfile
import threading

import stats


def producer(q, groups):
    """A multiprocessing.Process: sends each group's name through a Queue."""
    for name in groups:
        q.put(name.upper())
    q.put(None)


def main():
    with open("data/measurements.json", encoding="utf-8") as f:
        data = json.load(f)
    names = sorted(data["groups"])

    # multiprocessing: a pool of worker processes (the default start
    # method, fork on Linux up to Python 3.13), a pool started with "spawn"
    # (fresh interpreters) and a Process talking through a Queue
    with multiprocessing.Pool(2) as pool:
        summary = dict(zip(names, pool.map(stats.summarize,
                                           [data["groups"][n] for n in names])))
    with multiprocessing.get_context("spawn").Pool(2) as pool:
        squares = pool.map(stats.square, range(6))
    q = multiprocessing.Queue()
    proc = multiprocessing.Process(target=producer, args=(q, names))
    proc.start()
    relayed = []
    while (item := q.get(timeout=60)) is not None:
        relayed.append(item)
    proc.join()

    # threading: count the words of the notes in four threads
    with open("data/notes.txt", encoding="utf-8") as f:
        lines = f.read().splitlines()
    total = 0
    lock = threading.Lock()
    results = queue.Queue()

    def work(i):
        nonlocal total
        n = stats.count_words(lines[i::4])
        with lock:
            total += n
        results.put(i)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    # $TMPDIR: a scratch file that a subprocess (another interpreter) reads
    tmpdir = tempfile.gettempdir()
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        json.dump(summary, f)
        scratch = f.name
    child = subprocess.run(
        [sys.executable, "-c",
         "import json, sys; d = json.load(open(sys.argv[1])); "
         "print(sum(g['sum'] for g in d.values()))", scratch],
        capture_output=True, text=True, check=True)
    os.unlink(scratch)

    # the workspace: the results
    result = {"unit": data["unit"], "groups": summary, "words": total,
              "total_from_subprocess": int(child.stdout), "squares": squares,
              "relayed": relayed}
    with open("out/summary.json", "w", encoding="utf-8") as f:
        json.dump(result, f, indent=1, sort_keys=True)
        f.write("\n")

    for name in names:
        g = summary[name]
        print(f"{name}: n={g['n']} sum={g['sum']} min={g['min']} max={g['max']}")
    print(f"words: {total} (in {results.qsize()} threads)")
    print(f"squares (spawn pool): {squares}")
    print(f"relayed by a process: {' '.join(relayed)}")
    print(f"total from a subprocess: {child.stdout.strip()}")
    print(f"scratch file in $TMPDIR: {os.path.dirname(scratch) == tmpdir}, "
          f"removed: {not os.path.exists(scratch)}")
    print(f"tmpdir is $TMPDIR: {tmpdir == os.environ.get('TMPDIR')}")


if __name__ == "__main__":
    main()
