"""Help → Licences without the window: the notices loaded off the loop's thread, once; a failure is one
sentence."""

from __future__ import annotations

import threading

from ingress_studio.controllers.licence_notices import FAILED, LicenceNotices, count_matches
from ingress_studio.user_error import UserError


async def test_the_notices_load_on_a_worker_thread_once() -> None:
    threads: list[int] = []

    def load() -> str:
        threads.append(threading.get_ident())
        return "the notices"

    notices = LicenceNotices(load)
    loaded: list[str] = []
    notices.loaded.connect(loaded.append)
    notices.start()
    assert notices.loading
    await notices.closed()
    assert loaded == ["the notices"] and notices.text == "the notices"
    assert threads and threads[0] != threading.get_ident()
    notices.start()  # a view opened again: nothing read again
    await notices.closed()
    assert len(threads) == 1 and loaded == ["the notices"]


async def test_a_missing_file_is_its_sentence_and_anything_else_points_to_the_log() -> None:
    def no_file() -> str:
        raise UserError("This build has no THIRD-PARTY-NOTICES.txt: the build did not add it to the bundle.")

    def broken() -> str:
        raise RuntimeError("a bug")

    for load, sentence in ((no_file, "This build has no THIRD-PARTY-NOTICES.txt"), (broken, FAILED)):
        notices = LicenceNotices(load)
        failed: list[str] = []
        notices.failed.connect(failed.append)
        notices.start()
        await notices.closed()
        assert len(failed) == 1 and failed[0].startswith(sentence)
        assert notices.text is None and notices.problem == failed[0]


def test_matches_are_counted_ignoring_case() -> None:
    assert count_matches("GNU Lesser General Public License … lesser general", "LESSER general") == 2
    assert count_matches("anything", "") == 0
