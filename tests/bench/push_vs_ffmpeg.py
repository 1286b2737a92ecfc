"""Benchmark: `ingress-studio push` against Debian's ffmpeg CLI doing the same job (not part of the tests).

The same N-second 720p30 file is sent in real time to the same nginx-rtmp server three ways:
  1. ffmpeg -re, transcoding with the settings push uses (x264 veryfast/zerolatency, 1900 kbps capped,
     keyframe every 2 s, no B-frames, AAC 128 kbps 48 kHz);
  2. ingress-studio push --transcode, the same job;
  3. ingress-studio push of a file that already fits RTMP (remux path);
  4. pyav_minimal_push.py: the least PyAV code for job 1 - it shows how much of any difference is the
     encoder library (PyAV's wheel bundles its own x264) rather than push's pipeline.
CPU is user+system time of each child process tree (getrusage of children), wall is elapsed time.
The four run in turn, --rounds times (interleaved, so that a slow spell of the machine hits all of
them); run-to-run noise here is several per cent, so each ratio is given per round and from the
median of the rounds, with every sample printed.

    .venv/bin/python tests/bench/push_vs_ffmpeg.py [--seconds 60] [--rounds 4]

Targets (issue 13): transcode CPU median <= 1.00x ffmpeg with no round above 1.05x; remux CPU <= 0.10x
a transcode.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from installed_bytecode import environment_with_bytecode  # beside this script: on sys.path when run

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from support.nginx_rtmp import NginxRtmp


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def measure(label: str, command: list[str], env: dict[str, str] | None = None) -> tuple[float, float]:
    cpu_before, wall_before = children_cpu(), time.monotonic()
    result = subprocess.run(command, capture_output=True, text=True, env=env)
    wall, cpu = time.monotonic() - wall_before, children_cpu() - cpu_before
    if result.returncode != 0:
        raise SystemExit(f"{label} failed:\n{result.stderr[-2000:]}")
    print(f"{label:<34} cpu {cpu:7.2f} s   wall {wall:7.2f} s", flush=True)
    return cpu, wall


def make_source(path: Path, seconds: int, bframes: int) -> None:
    subprocess.run(
        [
            "ffmpeg", "-v", "error", "-y",
            "-f", "lavfi", "-i", "testsrc2=size=1280x720:rate=30",
            "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
            "-t", str(seconds), "-c:v", "libx264", "-preset", "veryfast", "-bf", str(bframes), "-g", "60",
            "-pix_fmt", "yuv420p", "-c:a", "aac", "-ac", "2", "-b:a", "128k", str(path),
        ],
        check=True,
    )  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--rounds", type=int, default=4)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        nginx = NginxRtmp(root / "nginx").start()
        try:
            with_b = root / "source-bframes.mp4"
            fits = root / "source-fits.mp4"
            make_source(with_b, args.seconds, bframes=2)
            make_source(fits, args.seconds, bframes=0)
            ffmpeg_command = [
                "ffmpeg", "-v", "error", "-re", "-i", str(with_b),
                "-c:v", "libx264", "-preset", "veryfast", "-tune", "zerolatency", "-profile:v", "high",
                "-g", "60", "-keyint_min", "60", "-sc_threshold", "0", "-bf", "0",
                "-b:v", "1900k", "-maxrate", "1900k", "-bufsize", "3800k", "-r", "30", "-pix_fmt", "yuv420p",
                "-c:a", "aac", "-b:a", "128k", "-ar", "48000", "-ac", "2",
                "-f", "flv", f"{nginx.url}/ffmpeg",
            ]  # fmt: skip
            push = [sys.executable, "-m", "ingress_studio", "push"]
            installed = environment_with_bytecode(root / "pycache")  # as pip leaves it: no compiling per run
            transcode_command = [
                *push,
                str(with_b),
                "--transcode",
                "--profile",
                "720p30",
                "--rtmp",
                f"{nginx.url}/ours",
            ]
            remux_command = [*push, str(fits), "--rtmp", f"{nginx.url}/remux"]
            minimal = Path(__file__).with_name("pyav_minimal_push.py")
            minimal_command = [sys.executable, str(minimal), str(with_b), f"{nginx.url}/minimal"]
            samples: dict[str, list[tuple[float, float]]] = {"ffmpeg": [], "transcode": [], "remux": [], "minimal": []}
            for round_number in range(1, args.rounds + 1):
                print(f"round {round_number}/{args.rounds}", flush=True)
                samples["ffmpeg"].append(measure("  ffmpeg CLI, transcode", ffmpeg_command))
                samples["transcode"].append(measure("  ingress-studio push, transcode", transcode_command, installed))
                samples["remux"].append(measure("  ingress-studio push, remux", remux_command, installed))
                samples["minimal"].append(measure("  minimal PyAV loop, transcode", minimal_command, installed))
        finally:
            nginx.stop()
    cpu = {name: statistics.median(c for c, _ in values) for name, values in samples.items()}
    wall = {name: statistics.median(w for _, w in values) for name, values in samples.items()}
    per_round = [ours[0] / theirs[0] for ours, theirs in zip(samples["transcode"], samples["ffmpeg"], strict=True)]
    print()
    print("transcode CPU, push / ffmpeg, each round: " + ", ".join(f"{ratio:.3f}" for ratio in per_round))
    worst = max(per_round)
    median_ratio = statistics.median(per_round)
    verdict = "met" if median_ratio <= 1.0 and worst <= 1.05 else "MISSED"
    print(
        f"transcode CPU, push / ffmpeg:    median of rounds {median_ratio:.3f}, worst {worst:.3f}"
        f"  (target median <= 1.00, no round > 1.05: {verdict})"
    )
    print(f"transcode CPU, medians:          {cpu['transcode'] / cpu['ffmpeg']:.3f}")
    print(f"transcode wall, push / ffmpeg:   {wall['transcode'] / wall['ffmpeg']:.3f}")
    remux_ratio = cpu["remux"] / cpu["transcode"]
    remux_verdict = "met" if remux_ratio <= 0.10 else "MISSED"
    print(f"remux CPU / transcode CPU:       {remux_ratio:.3f}  (target <= 0.10: {remux_verdict})")
    print(f"minimal PyAV loop / ffmpeg:      {cpu['minimal'] / cpu['ffmpeg']:.3f}  (the libraries' share)")
    print(f"transcode CPU, push / minimal:   {cpu['transcode'] / cpu['minimal']:.3f}  (push's own pipeline)")
    print(
        f"(medians of {args.rounds} rounds; media: {args.seconds} s of 1280x720 at 30 fps; ffmpeg {ffmpeg_version()})"
    )


def ffmpeg_version() -> str:
    first = subprocess.run(["ffmpeg", "-version"], capture_output=True, text=True).stdout.splitlines()[0]
    return first.split()[2] if len(first.split()) > 2 else first


if __name__ == "__main__":
    main()
