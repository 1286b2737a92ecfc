"""Sorting what was dropped: media becomes the source, .json is imported, a URL is a URL source, the rest is
refused in one sentence each — and nothing is silently ignored."""

from __future__ import annotations

from pathlib import Path

from ingress_studio.controllers.dropped_items import sort_drop


def files(tmp_path: Path, *names: str) -> list[Path]:
    made = [tmp_path / name for name in names]
    for path in made:
        path.write_bytes(b"x")
    return made


def test_media_files_keep_their_order_and_json_is_imported(tmp_path: Path) -> None:
    clip, song, spec, still = files(tmp_path, "b-clip.MP4", "a-song.mp3", "ingress.json", "slide.png")
    drop = sort_drop([clip, song, spec, still], [])
    assert drop.media == [clip, song, still] and drop.imports == [spec]
    assert drop.url is None and drop.refusals == []


def test_a_folder_a_stranger_and_a_vanished_file_are_each_explained(tmp_path: Path) -> None:
    folder = tmp_path / "Clips"
    folder.mkdir()
    [notes] = files(tmp_path, "notes.txt")
    drop = sort_drop([folder, notes, tmp_path / "gone.mp4"], [])
    assert drop.media == [] and drop.imports == []
    assert drop.refusals == [
        "“Clips” is a folder: drop the files inside it instead.",
        "“notes.txt” is not a video, audio or picture file Ingress Studio streams, nor an ingress .json.",
        "“gone.mp4” is not there any more.",
    ]


def test_a_url_or_a_urls_text_becomes_the_source() -> None:
    assert sort_drop([], ["https://example.com/live.m3u8"]).url == "https://example.com/live.m3u8"
    assert sort_drop([], [], " rtmp://host/app/key \n").url == "rtmp://host/app/key"
    assert sort_drop([], ["ftp://host/a.mp4"]).refusals == [
        "“ftp://” is not a kind of URL Ingress Studio streams from (http, https, rtmp, rtmps, srt, rtsp)."
    ]
    assert sort_drop([], [], "hello there").refusals == ["The dropped text is not a file or a stream URL."]
    two = sort_drop([], ["https://a/1.m3u8", "https://a/2.m3u8"])
    assert two.url == "https://a/1.m3u8" and two.refusals == [
        "Only one URL can be the source: https://a/2.m3u8 was left out."
    ]


def test_files_win_over_a_url_dropped_with_them(tmp_path: Path) -> None:
    [clip] = files(tmp_path, "clip.mkv")
    drop = sort_drop([clip], ["https://a/live.m3u8"])
    assert drop.media == [clip] and drop.url is None
    assert drop.refusals == [
        "Files and a URL were dropped together: the files are the source, https://a/live.m3u8 is not."
    ]
