"""bench_torch — `make bench`'s MLP workloads in C and in PyTorch, side by side.

    make bench-torch                      (what the README's table comes from)
    make bench-torch ARGS="--reps 9"      more alternations
    make bench-torch ARGS="--only dqn-step"
    make bench-torch ARGS=--tuned-allocator   PyTorch without a page fault per new tensor
    make bench-torch ARGS=--quality       tiny-diffusion's whole job on both sides, and its samples scored

The workloads: the MLP training steps and forward passes of `make bench`'s MLP
section, and tiny-diffusion's job (its training step, and sampling 1,000 points
with T = 1000), on the points the C benchmark writes (`bench --write-data`).

Both sides run one thread. The workloads are the C benchmark's own registry
(`bench --list-workloads`; workloads.py builds the PyTorch twin of each line),
so they are the same shapes, activations, optimiser settings and batch. The
two sides run ALTERNATELY: for each repetition and each workload, first the
C benchmark (a fresh process: `bench --workload NAME`), then the PyTorch job
(a fresh process too: this script with --worker NAME), each timed the same way (a warm-up call, then rounds of at
least --round-s seconds, median seconds per call; a warm-up call of 0.5 s or
more is timed alone, as sampling with T = 1000 is). Time is the CPU time of
the timing thread on both sides (time.thread_time() here), so that a shared
machine's other processes count as little as possible. Each repetition gives
a ratio course/PyTorch measured minutes apart at most; the table gives the
median over the repetitions and their range.

Why a fresh process for each PyTorch measurement: glibc's malloc raises its
mmap threshold after each large block it frees, so a process's allocator
works differently after the workloads it ran before. In one process, after
the MLP workloads, PyTorch sampled 1,000 points in 4.1 s; alone, in 11.4 s
(page faults cost ~12 us each on the course machine). --tuned-allocator
sets the thresholds instead (3.4 s).

--quality runs tiny-diffusion's whole training job (50,000 steps; --quick:
500) --seeds times on each side (3; each model from its own seed), reports
the CPU time of one, samples 4,000 points from each trained model with its
T = 50 chain, and has the C benchmark score every set with the course's
metric (`bench --quality FILE`): "the same job at equal sample quality".

"% peak" is the C side's effective GFLOP/s (matrix products only) as a share
of the single-core FP32 peak the C benchmark measures (`bench --peak`).

Exit status: 0; 1 if a C workload failed its check; 2 if PyTorch or its
OpenBLAS is missing (the message says which Debian packages to install).
"""
import argparse
import ctypes
import datetime
import os
import platform
import statistics
import subprocess
import sys

NEEDS = "python3-torch libopenblas0-serial"


def fail_setup(why):
    print("bench-torch: %s\n  install the Debian packages: sudo apt-get install %s" % (why, NEEDS), file=sys.stderr)
    sys.exit(2)


def fields(line):
    """'a=1 b=x' -> {'a': '1', 'b': 'x'}"""
    return dict(kv.split("=", 1) for kv in line.split())


def run_c(bench, args):
    out = subprocess.run([bench] + args, capture_output=True, text=True)
    if out.returncode not in (0, 1):
        sys.exit("bench-torch: %s %s failed (exit %d):\n%s" % (bench, " ".join(args), out.returncode, out.stderr))
    return out.stdout


def time_torch(fn, rounds, round_s, once_s):
    """Median seconds per call of fn, as the C side's time_per_call (a warm-up
    call that takes once_s or more is the answer by itself)."""
    import time
    t0 = time.thread_time()
    fn()
    first = max(time.thread_time() - t0, 1e-9)
    if first >= once_s:
        return first
    calls = max(1, int(round_s / first))
    per = []
    while len(per) < rounds:
        t0 = time.thread_time()
        for _ in range(calls):
            fn()
        dt = time.thread_time() - t0
        if dt >= round_s:
            per.append(dt / calls)
        else:
            calls = int(calls * (1.2 * round_s / dt if dt > 0 else 2.0)) + 1
    return statistics.median(per)


def blas_in_use():
    """(path, core name) of the OpenBLAS this process loaded, or None."""
    for line in open("/proc/self/maps"):
        path = line.split()[-1]
        if "openblas" in path and ".so" in path:
            try:
                lib = ctypes.CDLL(path)
                lib.openblas_get_corename.restype = ctypes.c_char_p
                return path, lib.openblas_get_corename().decode()
            except (OSError, AttributeError):
                return path, "?"
    return None


def cpu_name():
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def spread(values, fmt):
    return "%s (%s-%s)" % (fmt % statistics.median(values), fmt % min(values), fmt % max(values))


def rate_fmt(values):
    """Whole calls per second, or 3 digits for a job slower than 10 a second."""
    return "%.0f" if min(values) >= 10 else "%.3g"


def write_data(bench, folder):
    """The diffusion workloads' points, as the C benchmark writes them: (path, rows, dim)."""
    path = os.path.join(folder, "data.f32")
    info = fields(run_c(bench, ["--write-data", path]))
    return path, int(info["rows"]), int(info["dim"])


def load_data(path, rows, dim):
    import numpy as np
    import torch
    return torch.from_numpy(np.fromfile(path, dtype=np.float32).reshape(rows, dim).copy())


def read_data(bench):
    import tempfile
    with tempfile.TemporaryDirectory() as d:
        return load_data(*write_data(bench, d))


def tune_allocator():
    """glibc malloc keeps what is freed: no page faults for each step's new tensors."""
    libc = ctypes.CDLL("libc.so.6")
    M_TRIM_THRESHOLD, M_MMAP_THRESHOLD = -1, -3
    if not (libc.mallopt(M_MMAP_THRESHOLD, 1 << 30) and libc.mallopt(M_TRIM_THRESHOLD, 1 << 30)):
        sys.exit("bench-torch: mallopt refused the thresholds")


def worker(a):
    """--worker NAME: one PyTorch measurement of workload NAME in this fresh process; prints per_s=."""
    import torch
    import workloads
    torch.set_num_threads(1)
    torch.mm(torch.ones(64, 64), torch.ones(64, 64))        # loads the BLAS
    line = next((l for l in run_c(a.bench, ["--list-workloads"]).splitlines() if fields(l).get("name") == a.worker), None)
    if line is None:
        sys.exit("bench-torch: --worker %s: no such workload" % a.worker)
    data = load_data(a.data, *a.data_shape) if a.data else None
    job = workloads.build(fields(line), data=data, quick=a.quick)
    print("per_s=%r" % (1.0 / time_torch(job, a.rounds, a.round_s, a.once_s)))
    return 0


def run_worker(a, name, data):
    """The PyTorch side of one measurement, in a process of its own (see the top of this file)."""
    args = [sys.executable, os.path.abspath(__file__), "--bench", a.bench, "--worker", name, "--rounds", str(a.rounds),
            "--round-s", repr(a.round_s), "--once-s", repr(a.once_s)]
    if data:
        args += ["--data", data[0], "--data-shape", str(data[1]), str(data[2])]
    args += (["--quick"] if a.quick else []) + (["--tuned-allocator"] if a.tuned_allocator else [])
    out = subprocess.run(args, capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit("bench-torch: the PyTorch side of %s failed (exit %d):\n%s" % (name, out.returncode, out.stderr))
    return float(fields(out.stdout.strip().splitlines()[-1])["per_s"])


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--bench", default="build/bin/bench", help="the C benchmark binary")
    ap.add_argument("--reps", type=int, default=5, help="alternations C, PyTorch per workload")
    ap.add_argument("--rounds", type=int, default=5, help="timing rounds per measurement (both sides)")
    ap.add_argument("--round-s", type=float, default=0.1, help="minimum CPU seconds of one timing round")
    ap.add_argument("--only", help="one workload")
    ap.add_argument("--quick", action="store_true", help="2 repetitions of 3 short rounds (a smoke test)")
    ap.add_argument("--quality", action="store_true",
                    help="tiny-diffusion's whole job on each side, and both sides' samples scored")
    ap.add_argument("--seeds", type=int, default=3, help="--quality: models trained a side (1 to 20)")
    ap.add_argument("--tuned-allocator", action="store_true",
                    help="glibc malloc keeps freed memory (mmap and trim thresholds 1 GiB), as a tuned PyTorch "
                         "deployment would: no page faults for each step's new tensors")
    # the PyTorch side of one measurement, run by the main process in a fresh one
    ap.add_argument("--worker", help=argparse.SUPPRESS)
    ap.add_argument("--data", help=argparse.SUPPRESS)
    ap.add_argument("--data-shape", type=int, nargs=2, help=argparse.SUPPRESS)
    ap.add_argument("--once-s", type=float, default=0.5, help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.worker:
        if a.tuned_allocator:
            tune_allocator()
        return worker(a)
    a.once_s = 0.5                     # as the C benchmark: a call this long is timed once
    if a.quick:
        a.reps, a.rounds, a.round_s, a.once_s = 2, 3, 0.02, 0.05
    if a.reps < 1 or a.rounds < 1 or not a.round_s > 0 or not 1 <= a.seeds <= 20:
        sys.exit("bench-torch: --reps, --rounds and --round-s must be positive, --seeds 1 to 20")

    allocator = "stock allocator"
    if a.tuned_allocator:
        tune_allocator()
        allocator = "malloc tuned: mmap and trim thresholds 1 GiB"
    try:
        import torch
    except ImportError:
        fail_setup("PyTorch is not installed for %s" % sys.executable)
    import workloads
    torch.set_num_threads(1)
    torch.mm(torch.ones(64, 64), torch.ones(64, 64))        # loads the BLAS
    blas = blas_in_use()
    if not blas:
        fail_setup("PyTorch does not run on OpenBLAS here (Debian's default reference BLAS is ~3x slower)")

    lines = run_c(a.bench, ["--list-workloads"]).splitlines()
    if a.quality:
        return quality(a, [fields(l) for l in lines if l.strip()], torch, workloads, blas, allocator)
    todo = [fields(l) for l in lines if l.strip()]
    if a.only:
        todo = [w for w in todo if w["name"] == a.only]
        if not todo:
            sys.exit("bench-torch: --only %s: no such workload; there are: %s"
                     % (a.only, " ".join(fields(l)["name"] for l in lines)))
    peak = fields(run_c(a.bench, ["--peak", "--rounds", str(a.rounds)]))
    import tempfile
    scratch = tempfile.TemporaryDirectory()
    data = write_data(a.bench, scratch.name) if any(w["kind"].startswith("diffusion-") for w in todo) else None

    timing = ["--rounds", str(a.rounds)] + (["--quick"] if a.quick else [])
    course = {w["name"]: [] for w in todo}
    gflops = {w["name"]: [] for w in todo}
    torch_rate = {w["name"]: [] for w in todo}
    ok = True
    for rep in range(a.reps):
        print("bench-torch: repetition %d of %d" % (rep + 1, a.reps), file=sys.stderr)
        for w in todo:
            c = fields(run_c(a.bench, timing + ["--workload", w["name"]]))
            ok = ok and c["ok"] == "1"
            course[w["name"]].append(float(c["per_s"]))
            gflops[w["name"]].append(float(c["gflops"]))
            torch_rate[w["name"]].append(run_worker(a, w["name"], data))
    scratch.cleanup()

    peak_gflops = float(peak["peak"])
    print("make bench-torch, %s: %s, one thread; course kernels %s; PyTorch %s on %s (%s kernels), %s"
          % (datetime.date.today().isoformat(), cpu_name(), peak["path"], torch.__version__,
             os.path.basename(os.path.dirname(blas[0])) or blas[0], blas[1], allocator))
    print("peak %.1f GFLOP/s (%s-float FMA loop); calls per second, median of %d alternations (range)\n"
          % (peak_gflops, peak["vector_floats"], a.reps))
    print("| workload | network, batch | course /s | PyTorch /s | course / PyTorch | course GFLOP/s | % of peak | target |")
    print("|---|---|---|---|---|---|---|---|")
    for w in todo:
        n = w["name"]
        ratios = [c / t for c, t in zip(course[n], torch_rate[n])]
        g = statistics.median(gflops[n])
        share = g / peak_gflops
        target, met = "", None
        if float(w["target_ratio"]) > 0:
            target = ">= %gx" % float(w["target_ratio"])
            met = statistics.median(ratios) >= float(w["target_ratio"])
        if float(w["target_peak"]) > 0:
            target += " or >= %.0f%% of peak" % (100 * float(w["target_peak"]))
            met = met or share >= float(w["target_peak"])
        if met is not None:
            target += " met" if met else " MISSED"
        desc = "%s %s, %s %d" % (w["sizes"].replace(",", "-"), w["act"], w["kind"], int(w["batch"]))
        if w["kind"] == "diffusion-sample":
            desc += ", T = %d" % (100 if a.quick else int(w["T"]))
        print("| %s | %s | %s | %s | %s | %.1f | %.0f%% | %s |"
              % (n, desc, spread(course[n], rate_fmt(course[n])), spread(torch_rate[n], rate_fmt(torch_rate[n])),
                 spread(ratios, "%.1fx"), g, 100 * share, target or "-"))
    return 0 if ok else 1


def quality(a, todo, torch, workloads, blas, allocator):
    """--quality: the whole training job on both sides, then both models' samples scored by the C benchmark."""
    import tempfile
    import time
    import numpy as np
    w = next(w for w in todo if w["name"] == "tiny-diffusion-train")
    steps, n = (500 if a.quick else 50000), 4000
    data = read_data(a.bench)
    sets, torch_s = [], 0.0
    for seed in range(a.seeds):
        step = workloads.build(w, seed=seed + 1, data=data, quick=a.quick)   # seeds torch
        t0 = time.thread_time()
        for k in range(steps):
            step()
            if (k + 1) % (steps // 5) == 0:
                print("bench-torch: PyTorch, model %d of %d: %d of %d steps" % (seed + 1, a.seeds, k + 1, steps),
                      file=sys.stderr)
        torch_s += time.thread_time() - t0
        sets.append(workloads.sample_points(step.model, step.sched, n).numpy().astype("float32"))
    torch_s /= a.seeds
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "torch_samples.f32")
        np.concatenate(sets).tofile(path)
        args = [a.bench, "--quality", path] + (["--quick"] if a.quick else [])
        print("bench-torch: the course: %d model(s) of %d steps, then scoring both sides" % (a.seeds, steps),
              file=sys.stderr)
        out = subprocess.run(args, stdout=subprocess.PIPE, text=True)
    if out.returncode != 0:
        sys.exit("bench-torch: %s failed (exit %d)" % (" ".join(args), out.returncode))
    lines = out.stdout.splitlines()
    k = next(i for i, l in enumerate(lines) if l.startswith("train_s="))   # after the C side's progress lines
    course_s = float(fields(lines[k])["train_s"])
    rest = "\n".join(lines[k + 1:]) + "\n"
    print("make bench-torch --quality, %s: %s, one thread; PyTorch %s on %s (%s kernels), %s"
          % (datetime.date.today().isoformat(), cpu_name(), torch.__version__,
             os.path.basename(os.path.dirname(blas[0])) or blas[0], blas[1], allocator))
    print("tiny-diffusion's job, %d steps, CPU time a model (mean of %d): course %.1f s, PyTorch %.1f s: %.1fx\n"
          % (steps, a.seeds, course_s, torch_s, torch_s / course_s))
    print(rest, end="")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    sys.exit(main())
