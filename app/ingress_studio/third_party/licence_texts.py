"""The full texts of the licences that native components (and distributions that ship no licence file)
refer to, kept in licence_texts/: GNU texts as the FSF publishes them, permissive ones in SPDX's wording."""

from __future__ import annotations

import re
from importlib import resources

FOLDER = "licence_texts"

# SPDX identifiers (and the free-text names older metadata uses) → the text that applies.
TEXT_OF: dict[str, str] = {
    "apache-2.0": "Apache-2.0",
    "apache 2.0": "Apache-2.0",
    "apache license, version 2.0": "Apache-2.0",
    "apache software license": "Apache-2.0",
    "mit": "MIT",
    "mit license": "MIT",
    "bsd-2-clause": "BSD-2-Clause",
    "bsd-3-clause": "BSD-3-Clause",
    "3-clause bsd license": "BSD-3-Clause",
    "bsd-3-clause-clear": "BSD-3-Clause-Clear",
    "zlib": "Zlib",
    "gpl-2.0-only": "GPL-2.0",
    "gpl-2.0-or-later": "GPL-2.0",
    "gpl-3.0-only": "GPL-3.0",
    "gpl-3.0-or-later": "GPL-3.0",
    "lgpl-2.0-or-later": "LGPL-2.0",
    "lgpl-2.1-only": "LGPL-2.1",
    "lgpl-2.1-or-later": "LGPL-2.1",
    "lgpl-3.0-only": "LGPL-3.0",
    "lgpl-3.0-or-later": "LGPL-3.0",
}
# The LGPL-3.0 is the GPL-3.0 plus permissions: it is never given without it.
ALSO_NEEDS = {"LGPL-3.0": "GPL-3.0"}


def licence_text(name: str) -> str:
    return (resources.files(__package__) / FOLDER / f"{name}.txt").read_text(encoding="utf-8")


def texts_for(expression: str) -> list[str]:
    """The texts an SPDX expression (or a free-text licence name) names, in its order; [] when none is known."""
    found: list[str] = []
    whole = TEXT_OF.get(expression.strip().lower())
    terms = [whole] if whole else [TEXT_OF.get(term.lower()) for term in re.split(r"[\s()]+", expression)]
    for text in terms:
        for name in (text, ALSO_NEEDS.get(text or "")):
            if name and name not in found:
                found.append(name)
    return found
