"""Benchmark: refreshing the ingress table with 5,000 ingresses, 1 % changed (not part of the tests).

The window's real model, filter proxy and table view (offscreen) receive the same list a ListIngress
poll would bring. Measured per refresh: the in-place update the window uses, and, as the reference in
the same process, a full model reset of the same rows (the naive way, which also loses selection and
scroll). Also the process's RSS after building the rows.

    QT_QPA_PLATFORM=offscreen .venv/bin/python tests/bench/table_model_refresh.py [--rows 5000] [--rounds 30]
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import statistics
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from livekit.protocol import ingress as ingress_pb
from PySide6.QtWidgets import QApplication, QTableView

from ingress_studio.ui.ingress_filter_proxy import IngressFilterProxy
from ingress_studio.ui.ingress_table_model import IngressTableModel

Status = ingress_pb.IngressState.Status


def make_infos(count: int) -> list[ingress_pb.IngressInfo]:
    infos = []
    for number in range(count):
        info = ingress_pb.IngressInfo(
            ingress_id=f"IN_{number:012d}",
            name=f"camera {number}",
            room_name=f"room-{number % 50}",
            participant_identity=f"cam-{number}",
            input_type=ingress_pb.RTMP_INPUT,
            stream_key=f"key{number:09d}",
            url="rtmp://127.0.0.1:1935/x",
            reusable=True,
        )
        info.state.status = Status.ENDPOINT_INACTIVE
        infos.append(info)
    return infos


def change_some(infos: list[ingress_pb.IngressInfo], share: float, rng: random.Random) -> list[ingress_pb.IngressInfo]:
    """A new list, as a poll brings it: fresh messages, `share` of them with a new live state."""
    fresh = [ingress_pb.IngressInfo.FromString(info.SerializeToString()) for info in infos]
    for info in rng.sample(fresh, max(1, int(len(fresh) * share))):
        state = info.state
        state.status = Status.ENDPOINT_PUBLISHING
        state.video.width, state.video.height, state.video.framerate = 1280, 720, 30.0
        state.video.average_bitrate = rng.randrange(1_000_000, 6_000_000)
        state.updated_at = time.time_ns()
    return fresh


class ResetModel(IngressTableModel):
    """The reference: throw every row away and rebuild them."""

    def set_infos(self, infos: list[ingress_pb.IngressInfo]) -> None:
        self.beginResetModel()
        empty = IngressTableModel.set_infos
        self.blockSignals(True)
        empty(self, [])
        empty(self, infos)
        self.blockSignals(False)
        self.endResetModel()


def measure(model_type: type[IngressTableModel], rows: int, rounds: int) -> tuple[list[float], float]:
    rng = random.Random(7)
    model = model_type()
    proxy = IngressFilterProxy(model)
    view = QTableView()
    view.setModel(proxy)
    view.setSortingEnabled(True)
    view.resize(1200, 700)
    view.show()
    infos = make_infos(rows)
    model.set_infos(infos)
    QApplication.processEvents()
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    times = []
    for _ in range(rounds):
        infos = change_some(infos, 0.01, rng)  # built outside the timing: the network delivers it
        started = time.perf_counter()
        model.set_infos(infos)
        QApplication.processEvents()  # the view repaints what changed
        times.append((time.perf_counter() - started) * 1000)
    view.close()
    return times, rss_mb


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--rounds", type=int, default=30)
    args = parser.parse_args()
    app = QApplication.instance() or QApplication([])
    in_place, rss = measure(IngressTableModel, args.rows, args.rounds)
    reset, _ = measure(ResetModel, args.rows, args.rounds)
    del app
    median_in_place, median_reset = statistics.median(in_place), statistics.median(reset)
    print(f"rows {args.rows}, 1 % changed per refresh, {args.rounds} refreshes")
    print(f"in-place refresh (the window):  median {median_in_place:7.1f} ms   max {max(in_place):7.1f} ms")
    print(f"model reset (reference):        median {median_reset:7.1f} ms   max {max(reset):7.1f} ms")
    print(f"ratio in-place / reset:         {median_in_place / median_reset:.3f}")
    print(f"peak RSS after {args.rows} rows:      {rss:.0f} MB")


if __name__ == "__main__":
    main()
