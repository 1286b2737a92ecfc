"""Ingresses in SQLite: survives restarts, and several processes may share one data folder."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from livekit.protocol import ingress as ingress_pb

DB_FILE_NAME = "ingress.db"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS ingress (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,   -- creation order, used for listing and paging
    ingress_id TEXT NOT NULL UNIQUE,
    room_name TEXT NOT NULL,
    stream_key TEXT,
    info BLOB NOT NULL                       -- the IngressInfo protobuf
);
CREATE INDEX IF NOT EXISTS ingress_room ON ingress(room_name);
CREATE UNIQUE INDEX IF NOT EXISTS ingress_stream_key ON ingress(stream_key) WHERE stream_key != '';
"""


class IngressStore:
    def __init__(self, data_dir: Path) -> None:
        data_dir.mkdir(parents=True, exist_ok=True)
        self.path = data_dir / DB_FILE_NAME
        self._lock = threading.Lock()
        self._db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA busy_timeout=5000")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.executescript(_SCHEMA)

    def close(self) -> None:
        with self._lock:
            self._db.close()

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        # BEGIN IMMEDIATE takes the write lock up front, so read-modify-write is atomic across processes.
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def insert(self, info: ingress_pb.IngressInfo) -> None:
        with self._transaction() as db:
            db.execute(
                "INSERT INTO ingress (ingress_id, room_name, stream_key, info) VALUES (?, ?, ?, ?)",
                (info.ingress_id, info.room_name, info.stream_key, info.SerializeToString()),
            )

    def load(self, ingress_id: str) -> ingress_pb.IngressInfo | None:
        with self._lock:
            row = self._db.execute("SELECT info FROM ingress WHERE ingress_id = ?", (ingress_id,)).fetchone()
        return ingress_pb.IngressInfo.FromString(row[0]) if row else None

    def load_by_stream_key(self, stream_key: str) -> ingress_pb.IngressInfo | None:
        with self._lock:
            row = self._db.execute("SELECT info FROM ingress WHERE stream_key = ?", (stream_key,)).fetchone()
        return ingress_pb.IngressInfo.FromString(row[0]) if row else None

    def modify(
        self, ingress_id: str, change: Callable[[ingress_pb.IngressInfo], None]
    ) -> ingress_pb.IngressInfo | None:
        """Load, apply `change`, save - atomically. None if the ingress does not exist.

        An exception from `change` leaves the stored ingress untouched.
        """
        with self._transaction() as db:
            row = db.execute("SELECT info FROM ingress WHERE ingress_id = ?", (ingress_id,)).fetchone()
            if row is None:
                return None
            info = ingress_pb.IngressInfo.FromString(row[0])
            change(info)
            db.execute(
                "UPDATE ingress SET room_name = ?, info = ? WHERE ingress_id = ?",
                (info.room_name, info.SerializeToString(), ingress_id),
            )
            return info

    def delete(self, ingress_id: str) -> ingress_pb.IngressInfo | None:
        with self._transaction() as db:
            row = db.execute("SELECT info FROM ingress WHERE ingress_id = ?", (ingress_id,)).fetchone()
            if row is None:
                return None
            db.execute("DELETE FROM ingress WHERE ingress_id = ?", (ingress_id,))
            return ingress_pb.IngressInfo.FromString(row[0])

    def list(self, room_name: str = "", after_seq: int = 0, limit: int = 0) -> list[tuple[int, ingress_pb.IngressInfo]]:
        """(seq, info) in creation order, optionally one room's, after a seq, at most `limit`."""
        sql = "SELECT seq, info FROM ingress WHERE seq > ?"
        params: list[object] = [after_seq]
        if room_name:
            sql += " AND room_name = ?"
            params.append(room_name)
        sql += " ORDER BY seq"
        if limit > 0:
            sql += " LIMIT ?"
            params.append(limit)
        with self._lock:
            rows = self._db.execute(sql, params).fetchall()
        return [(seq, ingress_pb.IngressInfo.FromString(blob)) for seq, blob in rows]
