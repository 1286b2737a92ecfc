"""The self-test's checks of what is installed (or frozen into the bundle): every module imports, the FFmpeg
inside PyAV has what the engine needs, the rtc SDK's native library loads, and which keyring holds secrets.

This is a command-line program's process: it may load PyAV and the SDK's library (the window never runs it
in its own process).
"""

from __future__ import annotations

import ingress_studio
from ingress_studio.commands.self_test_modules import exception_sentence, import_every_module
from ingress_studio.commands.self_test_report import SelfTestReport

MB = 1_000_000


def check_modules(report: SelfTestReport) -> None:
    sweep = import_every_module(ingress_studio)
    for failure in sweep.failures:
        report.failed(f"import {failure.module}", failure.sentence)
    if sweep.failures:
        total = sweep.imported + len(sweep.failures)
        report.failed("modules", f"{len(sweep.failures)} of {total} modules of ingress_studio failed to import")
    else:
        report.ok("modules", f"{sweep.imported} modules of ingress_studio imported ({sweep.seconds:.1f} s)")


def check_ffmpeg(report: SelfTestReport) -> None:
    try:
        import ingress_studio.media  # noqa: F401  - prepares the environment before av loads
        from ingress_studio.media.ffmpeg_components import check_components, ffmpeg_versions
    except Exception as exc:
        report.failed("PyAV", f"PyAV cannot be loaded ({exception_sentence(exc)})")
        return
    report.ok("PyAV", ffmpeg_versions())
    for finding in check_components():
        component = finding.component
        name = f"{component.kind} {component.name}"
        (report.ok if finding.present else report.failed)(name, finding.detail)


def check_sdk_library(report: SelfTestReport) -> None:
    try:
        from ingress_studio.room_watch.sdk_library import load_sdk_library

        library = load_sdk_library()
    except Exception as exc:  # the SDK wraps a failed load in several ways; the sentence says which
        report.failed("livekit FFI", f"the rtc SDK's native library cannot be loaded ({exception_sentence(exc)})")
        return
    report.ok("livekit FFI", f"{library.path} ({library.size / MB:.1f} MB)")


def _priority(backend: object) -> str:
    try:
        return f"{float(backend.priority):g}"  # type: ignore[attr-defined]
    except Exception:  # a backend whose service is missing raises from its priority
        return "unknown"


def _name(backend: object) -> str:
    kind = type(backend)
    return f"{kind.__module__}.{kind.__qualname__}"


def check_keyring(report: SelfTestReport) -> None:
    try:
        import keyring

        from ingress_studio.config.secrets import encrypting_backend
    except Exception as exc:
        report.failed("keyring", f"the keyring module cannot be imported ({exception_sentence(exc)})")
        return
    try:
        offered = keyring.get_keyring()
    except Exception as exc:
        report.failed("keyring", f"keyring found no backend at all ({exception_sentence(exc)})")
        return
    chosen = encrypting_backend(offered)
    if chosen is None:
        report.warning(
            "keyring",
            f"{_name(offered)} (priority {_priority(offered)}) is not an encrypting keyring: "
            "saved projects' secrets last the session only (on Linux, log in to a desktop session that runs "
            "GNOME Keyring or KWallet: their Secret Service is what keeps secrets encrypted)",
        )
        return
    report.ok("keyring", f"{_name(chosen)} (priority {_priority(chosen)})")
