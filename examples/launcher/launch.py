#!/usr/bin/python3
"""launch.py: run commands a model wrote under cordon, and say why each ended.

An agent framework gets shell commands from a language model and has to run
them somewhere.  This launcher runs each one as

    cordon run --no-discover -p policy.cordon --report FILE --workspace WS \
        -- sh -c CMD

started in a scratch workspace WS (--workspace says what the policy's
relative paths mean; the command runs in the directory cordon is started
in; --no-discover: only the launcher's policy, with no .cordon found
above WS as one more layer), reads cordon's JSON report and prints, for each
command, its exit status and why it ended: the report's reason (exited,
signaled, timeout, oom, pids, cpu, error) and the numbers that go with it
(wall time, peak memory, OOM kills, refused forks).

The commands are a fixed list standing in for a model's output: two do
their job, the others misbehave the way model-written code does (read
~/.ssh/id_rsa, look for an API key, loop forever, phone home, allocate
200 MiB, start 100 processes).  The secrets are fake: the launcher makes a
temporary directory with a made-up HOME (~/.ssh/id_rsa) and puts a made-up
OPENAI_API_KEY in the environment it passes to cordon; the real home is
never touched.  The temporary directory is removed at the end.

Limits (policy.cordon): memory 64M, pids 32, time 3s.  They need a cgroup.
Where cordon cannot have one (an unprivileged user without a delegated
cgroup) strict mode refuses the policy (exit 125); the launcher notices
that with a first run of /usr/bin/true, says why, and runs the commands
with --best-effort, which falls back to per-process rlimits; the table is
followed by the report's not_enforced list.

usage: launch.py [--cordon PATH] [--policy FILE] [--best-effort | --strict]
                 [-v]

  --cordon PATH   the cordon program (default: $CORDON, else build/cordon
                  of this repository, else cordon on PATH)
  --policy FILE   the policy (default: policy.cordon beside this script)
  --best-effort   always pass --best-effort; --strict: never (a refusal is
                  then an error); default: strict when cordon can enforce
                  the whole policy, else best-effort
  -v              also print each command's output

Profiles (`use shell;`) are found through $CORDON_PATH; this repository's
stdlib-policies is added at its end when it exists.  Standard library only.
Exit status: 0 when every benign command succeeded, every misbehaving one
was stopped and no secret showed up in any output; 1 otherwise; 2 when
cordon could not be run at all.
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import textwrap

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))

FAKE_SSH_KEY = (
    "-----BEGIN OPENSSH PRIVATE KEY----- (FAKE, MADE BY launch.py)\n"
    "ZmFrZS1sYXVuY2hlci1rZXktbm90LWEtcmVhbC1zZWNyZXQ=\n"
    "-----END OPENSSH PRIVATE KEY-----\n"
)
FAKE_API_KEY = "sk-fake-launcher-key"
SECRETS = ("ZmFrZS1sYXVuY2hlci1rZXkt", FAKE_API_KEY)

# What "the model" asked to run, and whether it should succeed ("ok") or be
# stopped ("stop").  Each runs with `sh -c` in the workspace, which holds
# notes.txt.
COMMANDS = [
    ("tr -s ' ' '\\n' < notes.txt | sort | uniq -c | sort -rn | head -n 1",
     "ok"),
    ("python3 -c 'import json; print(json.dumps({\"lines\": "
     "len(open(\"notes.txt\").readlines())}))'",
     "ok"),
    ("cat ~/.ssh/id_rsa", "stop"),
    ("printenv OPENAI_API_KEY", "stop"),
    ("python3 -c 'while True: pass'", "stop"),
    ("python3 -c 'import socket; "
     "socket.create_connection((\"1.1.1.1\", 443), 2)'",
     "stop"),
    ("python3 -c 'x = b\"x\" * (200 << 20)'", "stop"),
    ("python3 -c 'import subprocess as s; "
     "[s.Popen([\"sleep\", \"5\"]) for _ in range(100)]'",
     "stop"),
]

NOTES = "the sandbox runs the code\nthe model writes the code\n"


def find_cordon(given):
    if given:
        return given
    if os.environ.get("CORDON"):
        return os.environ["CORDON"]
    built = os.path.join(REPO, "build", "cordon")
    if os.access(built, os.X_OK):
        return built
    return shutil.which("cordon") or "cordon"


def make_stage(tmp):
    """The fake home, the workspace and the environment cordon runs with."""
    home = os.path.join(tmp, "home")
    os.makedirs(os.path.join(home, ".ssh"), mode=0o700)
    key = os.path.join(home, ".ssh", "id_rsa")
    with open(os.open(key, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "w") as f:
        f.write(FAKE_SSH_KEY)
    work = os.path.join(tmp, "work")
    os.mkdir(work)
    with open(os.path.join(work, "notes.txt"), "w") as f:
        f.write(NOTES)
    os.mkdir(os.path.join(tmp, "reports"))

    profiles = os.path.join(REPO, "stdlib-policies")
    path = os.environ.get("CORDON_PATH", "")
    if os.path.isdir(profiles) and profiles not in path.split(":"):
        path = f"{path}:{profiles}" if path else profiles
    env = {
        # /usr/bin first: the policy grants Debian's python3, not a shim
        "PATH": "/usr/bin:/bin",
        "HOME": home,  # also where cordon caches the compiled policy
        "LANG": "C.UTF-8",
        "CORDON_PATH": path,
        "OPENAI_API_KEY": FAKE_API_KEY,
    }
    if os.environ.get("TMPDIR"):
        env["TMPDIR"] = os.environ["TMPDIR"]
    return home, work, env


def run(cordon, policy, mode, work, env, report, argv):
    """One cordon run: (exit status, stdout, stderr, report or None)."""
    try:
        os.unlink(report)
    except FileNotFoundError:
        pass
    cmd = [cordon, "run", "--no-discover", "-p", policy, "--report", report,
           "--workspace", work, *mode, "--", *argv]
    try:
        p = subprocess.run(cmd, env=env, cwd=work, stdin=subprocess.DEVNULL,
                           capture_output=True, text=True, errors="replace",
                           timeout=60)
        rc, out, err = p.returncode, p.stdout, p.stderr
    except subprocess.TimeoutExpired as e:
        # Only if cordon itself did not stop the command.
        rc, out, err = None, e.stdout or "", "launch.py: killed after 60 s"
        if isinstance(out, bytes):
            out = out.decode(errors="replace")
    try:
        with open(report) as f:
            rep = json.loads(f.read().strip().splitlines()[-1])
    except (OSError, ValueError, IndexError):
        rep = None
    return rc, out, err, rep


def choose_mode(args, cordon, policy, work, env, report):
    """Strict when cordon can enforce the whole policy, else best-effort."""
    if args.best_effort:
        return ["--best-effort"], None
    if args.strict:
        return [], None
    rc, out, err, rep = run(cordon, policy, [], work, env, report,
                            ["/usr/bin/true"])
    if rc == 0:
        return [], rep
    if rc == 125 and rep and rep.get("reason") == "error" \
            and "cannot enforce" in (rep.get("error") or ""):
        return ["--best-effort"], rep
    sys.stderr.write(f"launch.py: cordon failed on /usr/bin/true (exit {rc}):\n{err}")
    sys.exit(2)


def mib(n):
    return f"{n / 2**20:.1f} MiB"


def last_line(text):
    lines = [l for l in text.strip().splitlines()
             if l.strip() and not l.startswith("cordon: ")]
    return lines[-1].strip() if lines else ""


def why(rc, out, err, rep, home):
    """The reason in words, with its numbers."""
    if rep is None:
        return "no report" if rc is not None else "not stopped by cordon"
    reason = rep["reason"]
    cg = rep.get("cgroup") or {}
    if reason == "exited":
        text = last_line(err if rc else out) or last_line(out) or "(no output)"
        return text.replace(home, "~")
    if reason == "signaled":
        return f"killed by signal {rep.get('signal')}"
    if reason == "timeout":
        return f"limit time: the tree was killed after {rep['wall_ms'] / 1000:.2f} s"
    if reason == "oom":
        kills = cg.get("oom_kills", "?")
        return f"limit memory: the OOM killer ended it ({kills} kill{'s' * (kills != 1)})"
    if reason == "pids":
        refused = cg.get("pids_max_events", "?")
        error = last_line(err).split(":")[0] or "?"
        return f"limit pids: {refused} fork{'s' * (refused != 1)} refused ({error})"
    if reason == "cpu":
        return f"limit cputime used up ({(cg.get('cpu_usec') or 0) / 1e6:.2f} s of CPU)"
    return f"cordon: {rep.get('error', '?')}"


def clip(s, n):
    return s if len(s) <= n else s[: n - 3] + "..."


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--cordon")
    ap.add_argument("--policy", default=os.path.join(HERE, "policy.cordon"))
    g = ap.add_mutually_exclusive_group()
    g.add_argument("--best-effort", action="store_true")
    g.add_argument("--strict", action="store_true")
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args()

    cordon = find_cordon(args.cordon)
    policy = os.path.abspath(args.policy)
    if not shutil.which(cordon):
        print(f"launch.py: {cordon}: not found (build it with make, or give --cordon)",
              file=sys.stderr)
        return 2

    with tempfile.TemporaryDirectory(prefix="cordon-launch.") as tmp:
        home, work, env = make_stage(tmp)
        report = os.path.join(tmp, "reports", "report.json")
        mode, first = choose_mode(args, cordon, policy, work, env, report)

        print(f"policy     {policy}")
        print(f"workspace  {work} (notes.txt)")
        print(f"fake HOME  {home} (~/.ssh/id_rsa); OPENAI_API_KEY={FAKE_API_KEY}")
        if first and first.get("reason") == "error":
            print("mode       best-effort: strict refused the policy (exit 125: "
                  f"{first['error'].split(':')[0]}; see below)")
        elif first:
            print(f"mode       strict: cordon enforces the whole policy "
                  f"(Landlock ABI {first.get('landlock_abi')}, "
                  f"cgroup {first.get('enforced', {}).get('cgroup')})")
        else:
            print(f"mode       {'best-effort (--best-effort)' if mode else 'strict (--strict)'}")
        print()
        print("Each command:  cordon run --no-discover -p POLICY --report FILE --workspace WORKSPACE"
              f"{' --best-effort' if mode else ''} -- sh -c COMMAND")
        print()
        for i, (cmd, _) in enumerate(COMMANDS, 1):
            print(f"  {i}  {cmd}")
        print()

        rows, not_enforced, failures = [], [], 0
        for i, (cmd, expect) in enumerate(COMMANDS, 1):
            rep_file = os.path.join(tmp, "reports", f"{i}.json")
            rc, out, err, rep = run(cordon, policy, mode, work, env, rep_file,
                                    ["sh", "-c", cmd])
            leaked = [s for s in SECRETS if s in out or s in err]
            if rep is None or rep.get("reason") == "error":
                good, verdict = False, "NOT RUN"
            elif expect == "ok":
                good = rc == 0 and not leaked
                verdict = "ok" if good else "FAILED"
            else:
                good = rc not in (0, None) and not leaked
                verdict = "stopped" if good else "NOT STOPPED"
            if leaked:
                verdict += " (LEAKED)"
            failures += not good
            peak = (rep or {}).get("peak_memory_bytes")
            rows.append((str(i), "-" if rc is None else str(rc),
                         (rep or {}).get("reason", "?"),
                         f"{rep['wall_ms']:.0f} ms" if rep else "-",
                         mib(peak) if peak is not None else "-",
                         verdict, clip(why(rc, out, err, rep, home), 66)))
            for item in (rep or {}).get("not_enforced") or []:
                if item not in not_enforced:
                    not_enforced.append(item)
            if args.verbose:
                print(f"--- {i}: {cmd}")
                sys.stdout.write(textwrap.indent(out + err, "    "))

        head = ("#", "exit", "reason", "wall", "peak mem", "verdict", "why it ended")
        widths = [max(len(r[k]) for r in rows + [head]) for k in range(len(head) - 1)]
        for r in [head] + rows:
            cells = [r[k].rjust(widths[k]) if k in (0, 1, 3, 4) else r[k].ljust(widths[k])
                     for k in range(len(widths))]
            print("  " + "  ".join(cells) + "  " + r[-1])

        if not_enforced:
            print()
            print("Not enforced (the reports' not_enforced; best-effort):")
            for item in not_enforced:
                print(textwrap.fill(item, 78, initial_indent="  - ",
                                    subsequent_indent="    "))
        print()
        if failures:
            print(f"{failures} command(s) did not end as expected")
            return 1
        print("Every benign command succeeded, every misbehaving one was stopped, "
              "no secret leaked.")
        return 0


if __name__ == "__main__":
    sys.exit(main())
