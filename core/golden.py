"""Hand-written golden ads: contacts marked inline as ⟦text⟧{kind/disguise}."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import regex

from core.spans import Span, spans_to_json

MARK = regex.compile(r"⟦(?P<text>[^⟦⟧]*)⟧\{(?P<kind>[a-z]+)(?:/(?P<disguise>[a-z_]+))?\}")


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


def load_golden(path: str | Path) -> pd.DataFrame:
    """Load a golden JSONL file into the marketplace columns plus gold `spans` JSON."""
    rows = []
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        item = json.loads(line)
        description, spans = parse_marked(item["description"])
        title, title_spans = parse_marked(item.get("title", ""))
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
                "tags": ",".join(item.get("tags", [])),
                "golden_id": item.get("id", f"line{number}"),
            }
        )
    return pd.DataFrame(rows)
