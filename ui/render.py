"""Rendering: highlighted ad text (every piece of ad text escaped), masked copies, contact tables, sidebar."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from core.engine.spans import Span
from core.kinds import DISGUISE_LABELS, KIND_COLORS, KIND_LABELS
from ui.ru_format import compared_to, exact_decimal, ru_number

MASK_TOKENS: dict[str, str] = {kind: f"[{label}]" for kind, label in KIND_LABELS.items()}
# What the span scorer and the classifier looked at, in the moderators' words.
FEATURE_LABELS: dict[str, str] = {
    "left_call": "слева слова «звоните/номер/тел.»",
    "left_write": "слева «пишите/ник/ищите»",
    "left_messenger": "слева назван мессенджер",
    "left_social": "слева названа соцсеть",
    "left_mail": "слева «почта/mail»",
    "left_site": "слева «сайт/ссылка»",
    "left_split": "слева «дальше/окончание/часть»",
    "left_price": "слева цена или оплата",
    "left_code": "слева артикул, код, VIN, ИНН",
    "left_place": "слева адрес или место",
    "left_time": "слева время или дата",
    "left_platform": "слева «Авито/в профиле»",
    "right_unit": "справа единица измерения",
    "right_letter": "справа вплотную буква",
    "right_decimal": "справа дробная часть",
    "right_name": "справа имя",
    "base_score": "оценка правила",
    "chars": "длина фрагмента",
    "digits": "число цифр",
    "letters": "число букв",
    "groups": "групп цифр",
    "longest_group": "самая длинная группа цифр",
    "separators": "разделители",
    "comma_gaps": "числа через запятую",
    "has_plus": "знак «+»",
    "mobile_value": "мобильный номер",
    "in_title": "в заголовке",
    "digits_near": "цифры рядом",
    "candidates_in_ad": "кандидатов в объявлении",
    "glued_left": "слева вплотную буква",
    "kind": "вид контакта",
    "disguise": "маскировка",
    "max_score": "лучший кандидат в описании",
    "second_score": "второй кандидат в описании",
    "title_max_score": "кандидат в заголовке",
    "any_max_score": "лучший кандидат в объявлении",
    "contacts": "число найденных контактов",
    "words_undone": "числа словами",
    "lookalikes_undone": "буквы вместо цифр",
    "emoji_digits_undone": "цифры-эмодзи или широкие цифры",
    "email_words_undone": "почта словами",
    "invisible_removed": "невидимые символы",
    "at_sign": "знак @",
    "ctx_messenger": "упомянут мессенджер или соцсеть",
    "ctx_call": "слова «звоните/номер/пишите»",
    "ctx_platform": "упомянуто «Авито/в личку»",
    "ctx_mail": "слова «почта/сайт/ссылка»",
    "category": "категория",
    **{f"{kind}_max": f"лучший кандидат: {label}" for kind, label in KIND_LABELS.items()},
    **{f"title_{kind}_max": f"в заголовке: {label}" for kind, label in KIND_LABELS.items()},
    **{f"{kind}_count": f"найдено: {label}" for kind, label in KIND_LABELS.items()},
}


def feature_label(name: str) -> str:
    """Russian name of a scorer or classifier feature."""
    return FEATURE_LABELS.get(name, name)


def explanation_lines(explanation_text: str) -> list[str]:
    """A span's explanation (JSON from the scorer) as short Russian lines for the hover."""
    if not explanation_text:
        return []
    explanation = json.loads(explanation_text)
    kind, _, disguise = str(explanation.get("rule", "")).partition("/")
    lines = [
        f"правило: {kind_label(kind)}, {disguise_label(disguise)} (оценка правила {explanation['rule_score']:.2f})"
    ]
    if "learned_score" in explanation:
        lines.append(f"оценка модели {explanation['learned_score']:.2f}")
    if explanation.get("context"):
        lines.append("контекст: " + ", ".join(feature_label(name) for name in explanation["context"]))
    parts = explanation.get("score_parts") or {}
    if parts:
        lines.append("вклад: " + ", ".join(f"{feature_label(name)} {value:+.2f}" for name, value in parts.items()))
    return lines


_FALLBACK_COLORS = ("#eeeeee", "#616161")
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!<>|~$])")


def kind_label(kind: str) -> str:
    """Russian name of a contact kind."""
    return KIND_LABELS.get(kind, kind)


def disguise_label(disguise: str) -> str:
    """Russian name of a disguise kind."""
    return DISGUISE_LABELS.get(disguise, disguise or "—")


def markdown_escape(text: str) -> str:
    """Text safe to put inside st.markdown (markdown and HTML characters backslash-escaped)."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", str(text))


def clean_spans(text: str, spans: Sequence[Span]) -> list[Span]:
    """Spans sorted, clipped to the text, with empty and overlapping ones dropped."""
    kept: list[Span] = []
    for span in sorted(spans, key=lambda s: (s.start, -(s.finish - s.start))):
        start, finish = max(0, span.start), min(len(text), span.finish)
        if start >= finish or (kept and start < kept[-1].finish):
            continue
        kept.append(span)
    return kept


def span_hover(span: Span) -> str:
    """Hover text of a highlighted contact: score, disguise and what it was read as."""
    parts = [
        f"{kind_label(span.kind)}: {span.value or span.text}",
        f"оценка {span.score:.2f}",
        f"маскировка: {disguise_label(span.disguise)}",
    ]
    if span.value and span.value != span.text:
        parts.append(f"в тексте «{span.text}» → {span.value}")
    parts.extend(explanation_lines(span.explanation))
    return " · ".join(parts)


def _mark(text: str, span: Span) -> str:
    """One highlighted contact: escaped original text plus a label with kind and value."""
    background, border = KIND_COLORS.get(span.kind, _FALLBACK_COLORS)
    original = html.escape(text[span.start : span.finish])
    label = html.escape(f"{kind_label(span.kind)}: {span.value or span.text}")
    return (
        f'<mark class="cg-contact" data-kind="{html.escape(span.kind)}" title="{html.escape(span_hover(span))}" '
        f'style="background:{background};color:#111;border-bottom:2px solid {border};'
        f'border-radius:3px;padding:0 2px;">{original}'
        f'<span class="cg-label" style="font-size:0.72em;font-weight:600;color:{border};'
        f'margin-left:4px;white-space:nowrap;">[{label}]</span></mark>'
    )


def marked_text_html(text: str, spans: Sequence[Span]) -> str:
    """Escaped text with each contact wrapped in a labelled <mark>."""
    pieces: list[str] = []
    cursor = 0
    for span in clean_spans(text, spans):
        pieces.append(html.escape(text[cursor : span.start]))
        pieces.append(_mark(text, span))
        cursor = span.finish
    pieces.append(html.escape(text[cursor:]))
    return "".join(pieces)


def highlight_html(text: str, spans: Sequence[Span], title: str = "", title_spans: Sequence[Span] = ()) -> str:
    """HTML of the ad (title and description) with each contact highlighted; every piece of ad text is escaped."""
    heading = ""
    if title:
        heading = (
            '<div class="cg-title" style="font-weight:700;font-size:1.05rem;margin-bottom:0.4rem;">'
            f"{marked_text_html(title, title_spans)}</div>"
        )
    body = marked_text_html(text, spans) or '<span style="color:#888;">(описание пустое)</span>'
    return (
        '<div class="cg-ad" style="border:1px solid #d0d0d0;border-radius:8px;padding:0.8rem 1rem;'
        'background:#ffffff;color:#1a1a1a;line-height:1.9;">'
        f'{heading}<div class="cg-text" style="white-space:pre-wrap;overflow-wrap:anywhere;">{body}</div></div>'
    )


def legend_html(kinds: Sequence[str] | None = None) -> str:
    """A row of coloured chips naming each contact kind."""
    chips = []
    for kind in kinds or KIND_LABELS:
        background, border = KIND_COLORS.get(kind, _FALLBACK_COLORS)
        chips.append(
            f'<span style="background:{background};border-bottom:2px solid {border};border-radius:3px;'
            f'padding:0 6px;margin-right:6px;font-size:0.85em;color:#111;">{html.escape(kind_label(kind))}</span>'
        )
    return f'<div class="cg-legend">{"".join(chips)}</div>'


def masked_text(text: str, spans: Sequence[Span]) -> str:
    """Copy of the text with every contact replaced by [телефон], [email], [мессенджер], [ссылка] or [соцсеть]."""
    pieces: list[str] = []
    cursor = 0
    for span in clean_spans(text, spans):
        pieces.append(text[cursor : span.start])
        pieces.append(MASK_TOKENS.get(span.kind, "[контакт]"))
        cursor = span.finish
    pieces.append(text[cursor:])
    return "".join(pieces)


def contacts_frame(spans: Sequence[Span], title_spans: Sequence[Span] = ()) -> pd.DataFrame:
    """Table of the found contacts (title first, then description) with Russian column names."""
    located = [("заголовок", span) for span in title_spans] + [("описание", span) for span in spans]
    rows = [
        {
            "Где": where,
            "Вид": kind_label(span.kind),
            "Значение": span.value or span.text,
            "Текст в объявлении": span.text,
            "Маскировка": disguise_label(span.disguise),
            "Оценка": round(float(span.score), 3),
            "Начало": span.start,
            "Конец": span.finish,
        }
        for where, span in located
    ]
    columns = ["Где", "Вид", "Значение", "Текст в объявлении", "Маскировка", "Оценка", "Начало", "Конец"]
    return pd.DataFrame(rows, columns=columns)


def verdict_text(probability: float, threshold: float) -> str:
    """One-line verdict for a probability at the threshold (never rounded so that the two read equal)."""
    shown, limit = compared_to(probability, threshold), exact_decimal(threshold)
    if probability >= threshold:
        return f"Найден контакт: вероятность {shown} ≥ порога {limit}"
    return f"Контактов не найдено: вероятность {shown} < порога {limit}"


def show_verdict(probability: float, threshold: float) -> None:
    """Verdict banner: red when the ad is flagged, green otherwise."""
    if probability >= threshold:
        st.error(verdict_text(probability, threshold), icon=":material/block:")
    else:
        st.success(verdict_text(probability, threshold), icon=":material/check_circle:")


def show_highlighted(text: str, spans: Sequence[Span], title: str = "", title_spans: Sequence[Span] = ()) -> None:
    """Render the highlighted ad (escaped HTML only) with the colour legend."""
    found = {span.kind for span in [*spans, *title_spans]}
    kinds = sorted(found, key=lambda kind: list(KIND_LABELS).index(kind) if kind in KIND_LABELS else 99)
    if kinds:  # no legend when nothing was found: five chips would suggest five findings
        st.html(legend_html(kinds))
    st.html(highlight_html(text, spans, title, title_spans))


@dataclass(frozen=True, slots=True)
class ModelInfo:
    """What the sidebar says about the served model."""

    name: str
    version: str | None
    alias: str
    trained_at: str = ""
    mean_auc: float | None = None


def sidebar(info: ModelInfo, threshold: float) -> None:
    """Sidebar block: the model in use and the threshold."""
    with st.sidebar:
        st.markdown("### Модель")
        if info.version is None:
            st.warning(f"В реестре нет версии с меткой «{info.alias}».", icon=":material/warning:")
            st.caption("Обучите первую модель: `make run` или `python -m core ensure-model`.")
        else:
            st.markdown(f"**{markdown_escape(info.name)}** · версия **{markdown_escape(info.version)}**")
            st.caption(f"Метка: {markdown_escape(info.alias)}")
            if info.trained_at:
                st.caption(f"Обучена: {markdown_escape(info.trained_at)} UTC")
            if info.mean_auc is not None and info.mean_auc == info.mean_auc:
                st.caption(f"Средний ROC-AUC по категориям: {ru_number(info.mean_auc, 4)}")
        st.markdown(f"**Порог:** {exact_decimal(threshold)}")
