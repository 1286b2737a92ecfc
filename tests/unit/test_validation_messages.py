"""Every validation message the server (and our mirror of it) gives has a field and a person's sentence."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ingress_studio.display.validation_messages import Field, explain
from ingress_studio.domain import validation

SOURCE = Path(validation.__file__).read_text()


def server_messages() -> list[str]:
    """The messages validation.py raises, read from its source (so a new rule cannot go unexplained)."""
    prefixes = {
        "_invalid_ingress": "invalid ingress: ",
        "_invalid_video": "invalid video parameters: ",
        "_invalid_audio": "invalid audio parameters: ",
        "_invalid_bypass": "invalid transcoding bypass configuration: ",
    }
    found = []
    for helper, text in re.findall(r'(_invalid_\w+)\(f?"([^"]+)"\)', SOURCE):
        found += [prefixes[helper] + text.replace("{kind}", kind) for kind in ("video", "audio")]
    found.append(validation.INVALID_INGRESS_TYPE)
    return sorted(set(found))


SERVER_ONLY = {  # checks of stored ingresses; a form cannot produce them
    "invalid ingress: no stream key",
    "invalid ingress: no source URL",
    "invalid ingress: unsupported input type",
}


@pytest.mark.parametrize("words", [m for m in server_messages() if m not in SERVER_ONLY and "{" not in m])
def test_each_form_message_names_a_field_and_says_what_to_do(words: str) -> None:
    problem = explain(words)
    assert problem.field is not Field.NONE, words
    assert problem.sentence != words and problem.sentence.endswith(".")
    assert problem.server_words == words


def test_a_url_scheme_is_named_and_an_empty_one_explained() -> None:
    assert explain("invalid ingress: invalid url scheme ftp").sentence.startswith("“ftp://” addresses cannot be pulled")
    assert "whole address" in explain("invalid ingress: invalid url scheme ").sentence
    assert explain("parse \"http://[x\": missing ']' in host").field is Field.URL


def test_anything_else_is_shown_as_it_is() -> None:
    problem = explain("ingress does not exist")
    assert (problem.field, problem.sentence) == (Field.NONE, "ingress does not exist")
