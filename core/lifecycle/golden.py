"""Hand-written evaluation ads: contacts marked inline as ⟦text⟧{kind/disguise}."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import regex

from core.engine.spans import Span, spans_to_json
from core.kinds import CONTACT_KINDS

MARK = regex.compile(r"⟦(?P<text>[^⟦⟧]*)⟧\{(?P<kind>[a-z]+)(?:/(?P<disguise>[a-z_]+))?\}")
BRACKETS = ("⟦", "⟧")
REQUIRED_KEYS = ("category", "description")


class GoldenFormatError(ValueError):
    """A hand-written set line that cannot be read; the message names the file and line (never the ad text)."""


def parse_marked(marked: str) -> tuple[str, list[Span]]:
    """Strip ⟦…⟧{kind/disguise} marks and return the clean text with gold spans."""
    parts: list[str] = []
    spans: list[Span] = []
    position = 0
    length = 0
    for match in MARK.finditer(marked):
        before = marked[position : match.start()]
        parts.append(before)
        length += len(before)
        text = match["text"]
        spans.append(Span(length, length + len(text), match["kind"], text, disguise=match["disguise"] or "plain"))
        parts.append(text)
        length += len(text)
        position = match.end()
    parts.append(marked[position:])
    return "".join(parts), spans


def _checked(marked: object, where: str, field: str) -> tuple[str, list[Span]]:
    """parse_marked with the checks a hand-written file must pass: text, no stray bracket, known kinds."""
    if marked is None:
        marked = ""
    if not isinstance(marked, str):
        raise GoldenFormatError(f"{where}: `{field}` must be a string")
    clean, spans = parse_marked(marked)
    if any(bracket in MARK.sub("", marked) for bracket in BRACKETS):
        raise GoldenFormatError(f"{where}: `{field}` has a ⟦ or ⟧ outside a complete ⟦…⟧{{kind/disguise}} mark")
    unknown = sorted({span.kind for span in spans} - set(CONTACT_KINDS))
    if unknown:
        raise GoldenFormatError(f"{where}: `{field}` marks an unknown kind {', '.join(unknown)}")
    if any(not span.text for span in spans):
        raise GoldenFormatError(f"{where}: `{field}` has an empty mark")
    return clean, spans


def load_golden(path: str | Path) -> pd.DataFrame:
    """Load a hand-written JSONL set into the marketplace columns plus gold `spans` JSON.

    `spans` holds the description's marks only (the contest's spans are on the description); marks
    in the title go to `title_spans`, and an ad with a mark in either field is a contact ad
    (`is_bad` 1) unless the line says otherwise.
    """
    source = Path(path)
    rows = []
    seen: set[str] = set()
    for number, line in enumerate(source.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        where = f"{source.name}:{number}"
        try:
            item = json.loads(line)
        except json.JSONDecodeError as error:
            raise GoldenFormatError(f"{where}: not valid JSON ({error.msg})") from None
        if not isinstance(item, dict):
            raise GoldenFormatError(f"{where}: expected a JSON object")
        missing = [key for key in REQUIRED_KEYS if not item.get(key)]
        if missing:
            raise GoldenFormatError(f"{where}: missing {', '.join(missing)}")
        ad_id = str(item.get("id") or f"line{number}")
        if ad_id in seen:
            raise GoldenFormatError(f"{where}: id {ad_id} appears twice")
        seen.add(ad_id)
        description, spans = _checked(item["description"], where, "description")
        title, title_spans = _checked(item.get("title"), where, "title")
        rows.append(
            {
                "title": title,
                "description": description,
                "subcategory": item.get("subcategory", ""),
                "category": item["category"],
                "price": item.get("price"),
                "region": item.get("region", ""),
                "city": item.get("city", ""),
                "datetime_submitted": item.get("datetime_submitted", "2026-11-01 12:00:00"),
                "is_bad": int(item.get("is_bad", bool(spans or title_spans))),
                "spans": spans_to_json(spans),
                "title_spans": spans_to_json(title_spans),
                "tags": ",".join(item.get("tags", [])),
                "golden_id": ad_id,
            }
        )
    return pd.DataFrame(rows)
