"""A learned scorer for candidate spans: the rules propose, a small CatBoost model ranks.

The detectors' hand-set scores say how sure a *rule* is; the scorer learns from the generator's gold
spans how far each candidate's surroundings support it (which words stand left and right, what the
digits look like, whether phonenumbers accepted it, which disguise was undone). Every scored span
keeps an explanation of those parts for the check page's hover.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
from catboost import CatBoostClassifier, Pool

from core.engine.detectors import UNMASKED_RE, has_hidden_number_hint
from core.engine.spans import Span, rescored

SCORER_FILE = "span_scorer.cbm"

_LEFT_WINDOW = 40
# (every right pattern is anchored at the candidate's end; 40 is how far the detector reads UNMASKED_RE, whose
# phrases run longer than 24: " — а если серьёзно, это мой телефон")
_RIGHT_WINDOW = 40
# Words around a candidate, as yes/no features; each names what a moderator would read there.
LEFT_CONTEXT = {
    "left_call": re.compile(r"тел\b|тел\.|телеф|phone|моб|звон|набер|смс|sms|связ|контакт|обращ|справк"),
    "left_number": re.compile(r"номер"),
    "left_write": re.compile(r"пиш|напиш|писать|сообщ|ник|логин|ищите|найдете|найдёте|подпис"),
    "left_messenger": re.compile(r"whats|вотс|ватс|viber|вайб|вибер|telegram|телег|тг\b|tg\b|skype|скайп|дс\b"),
    "left_social": re.compile(r"инст|insta|вк\b|vk\b|вконтакт|ютуб|youtube|тикток|tiktok|одноклассн|дзен"),
    "left_mail": re.compile(r"почт|mail|e-mail|email|мыло|ящик"),
    "left_site": re.compile(r"сайт|ссылк|страниц|http|www|заход"),
    "left_split": re.compile(r"дальше|далее|потом|затем|начал|конец|оконча|последн|следующ|част|цифр|середин|хвост"),
    "left_price": re.compile(r"цена|стоимост|стоит|руб|₽|оплат|зарплат|доход|бюджет|тыс"),
    "left_code": re.compile(
        # Whole words where a stem hides in ordinary ones ("лот" in "золото", "заказ" in "торты на заказ",
        # "каталог" in "каталог скину в вотсап", "парт" in "партнёр", "ориг" in "сумка, оригинал").
        # ("код(?<!\wкод)\b" is "\bкод\b" with the letters first: every alternative then starts with a character
        # to scan for; a leading "\b" made the engine try the whole pattern at every position, 7x slower.)
        r"артикул|арт\.(?<!\wарт\.)|код(?<!\wкод)\b|vin(?<!\wvin)\b|вин(?<!\wвин)\b|инн(?<!\wинн)\b|огрн|"
        r"кпп(?<!\wкпп)\b|бик(?<!\wбик)\b|imei|имей|oem(?<!\woem)\b|s/n|sn(?<!\wsn)\b|серийн|"
        r"модел|model|№|каталож|по каталогу|запчаст|детал[иь]\b|производител|part(?<!\wpart)\b|p/n|"
        r"парти(?<!\wпарти)[яиюей]\b|парт-?номер|ориг\w*[,.]?\s+(?:номер|код|артикул|№)|штрих|ean(?<!\wean)\b|"
        r"сери(?<!\wсери)[яи]\b|номер заказа|заказ №|лот(?<!\wлот)\b|шильд|бирк(?<!\wбирк)|наклейк|маркиров"
    ),
    "left_place": re.compile(r"ул\.|улиц|дом\b|д\.|кв\.|квартир|подъезд|этаж|корпус|строен|парков|место|гараж|бокс"),
    "left_time": re.compile(r"час|время|с \d|до \d|график|режим|пн|вт|ср|чт|пт|сб|вс\b|год|дата|число"),
    "left_platform": re.compile(r"авито|avito|в профиле|через сайт|в лс|в личку|в чат"),
}
RIGHT_CONTEXT = {
    "right_unit": re.compile(
        r"^[\s.,]{0,2}(?:руб|р\.|р\b|₽|km|км|шт|г\.|год|м2|м²|кв|гб|gb|мм|см|кг|л\.|л\b|%|мес|сот)"
    ),
    "right_letter": re.compile(r"^[a-zа-яё]"),
    "right_decimal": re.compile(r"^[.,]\d"),
    "right_name": re.compile(r"^[\s,–—-]{1,3}[А-ЯЁ][а-яё]+"),
    # "арт. 8906-412-7735 (это не артикул 😉)", "— кто понял, тот поймёт": the ad says the code is a number
    "right_unmasked": re.compile(rf"^(?:{UNMASKED_RE.pattern})"),
}
_DIGIT = re.compile(r"\d")
_GROUP = re.compile(r"\d\d*")
_COMMA_GAP = re.compile(r"\d, \d")
NUMERIC_FEATURES: tuple[str, ...] = (
    "base_score",
    "chars",
    "digits",
    "letters",
    "groups",
    "longest_group",
    "separators",
    "comma_gaps",
    "has_plus",
    "mobile_value",
    "in_title",
    "digits_near",
    "candidates_in_ad",
    "glued_left",
    "glued_latin",
    "hidden_hint",
    *LEFT_CONTEXT,
    *RIGHT_CONTEXT,
)
CATEGORICAL: tuple[str, ...] = ("kind", "disguise")
FEATURES: tuple[str, ...] = (*CATEGORICAL, *NUMERIC_FEATURES)


@dataclass(frozen=True, slots=True)
class Candidate:
    """One candidate span in its text, as the scorer sees it."""

    text: str
    span: Span
    in_title: bool = False
    candidates_in_ad: int = 1


@lru_cache(maxsize=256)
def _says_number_is_hidden(lowered: str) -> bool:
    """The ad says a number hides among its other numbers ("прочитайте цены подряд"): once per text."""
    return has_hidden_number_hint(lowered)  # HIDDEN_NUMBER_HINT_RE after a cheap substring gate


@lru_cache(maxsize=16)
def _lowered(text: str) -> str:
    """text.lower(), once per text for the several candidates of one ad."""
    return text.lower()


# The context patterns' search methods, looked up once (candidate_features runs for every candidate of a batch),
# in FEATURES order; right_name reads the raw text (its capital letter), the others the lowered window.
_LEFT_SEARCHES = tuple(pattern.search for pattern in LEFT_CONTEXT.values())
_RIGHT_SEARCHES = tuple(pattern.search for name, pattern in RIGHT_CONTEXT.items() if name != "right_name")
_RIGHT_NAME_SEARCH = RIGHT_CONTEXT["right_name"].search
# Where the three left features that interact sit in the left part of a row (see _feature_row).
_LEFT_NUMBER, _LEFT_CODE, _LEFT_PLACE = (
    list(LEFT_CONTEXT).index(n) for n in ("left_number", "left_code", "left_place")
)
# right_name's place among the right features (after the ones that read the lowered window, before the rest).
_RIGHT_NAME_AT = list(RIGHT_CONTEXT).index("right_name")
# "\d" in a str pattern matches what str.isdecimal accepts (checked on every code point), so the digit groups' lengths
# add up to the body's digits.
_DIGIT_FINDALL = _DIGIT.findall  # where few digits are expected
_GROUP_FINDALL = _GROUP.findall
# A separator is neither letter/digit (str.isalnum) nor space (str.isspace): "\w" is isalnum or "_", "\s" is isspace
# (both checked on every code point), so one findall counts them instead of two passes over the characters.
_SEPARATOR_FINDALL = re.compile(r"[^\w\s]|_").findall


def _feature_row(candidate: Candidate) -> list[float | str]:
    """The scorer's features of one candidate as a list in FEATURES order (candidate_features names them).

    Scoring reads each candidate's features once into a Pool row: building the row directly skips a
    38-key dict per candidate and the lookups that turned it back into a row.
    """
    span, text = candidate.span, candidate.text
    start, finish = span.start, span.finish
    body = span.text or text[start:finish]
    lowered = _lowered(text)
    left = lowered[max(0, start - _LEFT_WINDOW) : start]
    right = lowered[finish : finish + _RIGHT_WINDOW]
    groups = [len(g) for g in _GROUP_FINDALL(body)]
    outside = left[-40:] + lowered[finish : finish + 40]  # the 40 characters either side (_LEFT_WINDOW >= 40)
    last_left = left[-1:]
    first_right = right[:1]
    lefts = [0.0 if search(left) is None else 1.0 for search in _LEFT_SEARCHES]
    if lefts[_LEFT_CODE] or lefts[_LEFT_PLACE]:
        # "номер запчасти", "номер квартиры" say what the number is; a bare "номер" before a phone says phone
        lefts[_LEFT_NUMBER] = 0.0
    rights = [0.0 if search(right) is None else 1.0 for search in _RIGHT_SEARCHES]
    rights.insert(_RIGHT_NAME_AT, 0.0 if _RIGHT_NAME_SEARCH(text[finish : finish + 20]) is None else 1.0)
    return [
        span.kind,  # kind
        span.disguise or "plain",  # disguise
        float(span.base_score if span.base_score is not None else span.score),  # base_score
        float(len(body)),  # chars
        float(sum(groups)),  # digits
        float(sum(map(str.isalpha, body))),  # letters
        float(len(groups)),  # groups
        float(max(groups, default=0)),  # longest_group
        float(len(_SEPARATOR_FINDALL(body))),  # separators: neither letter/digit nor space
        float(len(_COMMA_GAP.findall(body))),  # comma_gaps
        float("+" in body or "плюс" in body.lower()),  # has_plus
        float(span.value.startswith("+79")),  # mobile_value
        float(candidate.in_title),  # in_title
        # digits_near (the 80 characters around hold few digits: one scan for them beats a test of every character)
        float(len(_DIGIT_FINDALL(outside))),
        float(candidate.candidates_in_ad),  # candidates_in_ad
        float(last_left.isalpha()),  # glued_left
        # glued_latin: "PC9 00501-0101" is a code's tail; "вотсапчик89174402981пишите" a phone glued to Russian words
        float((last_left.isascii() and last_left.isalpha()) or (first_right.isascii() and first_right.isalpha())),
        float(_says_number_is_hidden(lowered)),  # hidden_hint
        *lefts,
        *rights,
    ]


def candidate_features(candidate: Candidate) -> dict[str, float | str]:
    """The scorer's features of one candidate: its shape, its validation, the words around it."""
    return dict(zip(FEATURES, _feature_row(candidate), strict=True))


def _frame(candidates: Sequence[Candidate]) -> pd.DataFrame:
    rows = [candidate_features(c) for c in candidates]
    return pd.DataFrame(rows, columns=list(FEATURES))


def _pool(frame: pd.DataFrame, labels: Sequence[int] | None = None) -> Pool:
    return Pool(frame, label=labels, cat_features=list(CATEGORICAL))


def _row_pool(candidates: Sequence[Candidate], names: Sequence[str] = FEATURES) -> Pool:
    """The candidates' features as a Pool of plain rows: the values of _frame without building a DataFrame.

    Scoring builds one per request; from rows it costs about half (3.7 vs 6.4 ms per 100 ads, same
    probabilities bit for bit; bench/results.md, "Scoring server"). names are the model's own features in its
    order, so a model trained before a feature was added reads exactly the columns it learned.
    """
    if tuple(names) == FEATURES:  # a model of this code: the rows as _feature_row builds them
        rows = list(map(_feature_row, candidates))
    else:
        rows = [[feats[name] for name in names] for feats in map(candidate_features, candidates)]
    return Pool(
        rows, cat_features=[i for i, name in enumerate(names) if name in CATEGORICAL], feature_names=list(names)
    )


class SpanScorer:
    """CatBoost over candidate features; never scores a candidate below what its rule alone would."""

    def __init__(self, model: CatBoostClassifier | None = None) -> None:
        self.model = model

    @staticmethod
    def new_model(iterations: int = 300, seed: int = 42, thread_count: int = 2) -> CatBoostClassifier:
        """A fresh, seeded classifier for candidates: more base score can only mean a likelier contact."""
        return CatBoostClassifier(
            iterations=iterations,
            learning_rate=0.1,
            depth=5,
            random_seed=seed,
            thread_count=thread_count,
            loss_function="Logloss",
            verbose=False,
            allow_writing_files=False,
            monotone_constraints={"base_score": 1},
        )

    def fit(self, candidates: Sequence[Candidate], labels: Sequence[int], **params: int) -> SpanScorer:
        """Learn from candidates labelled 1 when they overlap a gold contact."""
        self.model = self.new_model(**params)
        self.model.fit(_pool(_frame(candidates), list(labels)))
        return self

    def scores(self, candidates: Sequence[Candidate]) -> np.ndarray:
        """Learned probability that each candidate is a contact (the rule's score without a model)."""
        if not candidates:
            return np.zeros(0)
        if self.model is None:
            return np.array([c.span.score for c in candidates])
        return self.model.predict_proba(_row_pool(candidates, self.feature_names))[:, 1]

    @property
    def feature_names(self) -> tuple[str, ...]:
        """The features the model was trained on, in its order (FEATURES for a model of this code)."""
        names = getattr(self.model, "feature_names_", None)
        return tuple(names) if names else FEATURES

    def rescore(self, candidates: Sequence[Candidate], min_score: float = 0.5) -> list[Span]:
        """The candidates' spans with the learned score; the rule's own score is kept as base_score.

        The rules decide what is a candidate: one they put below min_score can only go down. Among the
        rest the learned score ranks (and may drop a candidate whose surroundings speak against it).
        Measured on the hand-written sets, letting the model lift rejected candidates cost precision.
        """
        learned = np.asarray(self.scores(candidates), dtype=np.float64).tolist()  # float() of each element
        spans = []
        for candidate, value in zip(candidates, learned, strict=True):
            base = candidate.span.base_score if candidate.span.base_score is not None else candidate.span.score
            score = value if base >= min_score else min(base, value)
            spans.append(rescored(candidate.span, round(score, 4), base))
        return spans

    def explain(self, candidate: Candidate) -> dict[str, object]:
        """What made a candidate's score: rule, validation, context words, and the model's score parts."""
        feats = candidate_features(candidate)
        explanation: dict[str, object] = {
            "rule": f"{feats['kind']}/{feats['disguise']}",
            "rule_score": feats["base_score"],
            "validated": candidate.span.value,
            "context": sorted(name for name in (*LEFT_CONTEXT, *RIGHT_CONTEXT) if feats[name]),
        }
        if self.model is not None:
            names = self.feature_names
            pool = _pool(pd.DataFrame([feats], columns=list(names)))
            shap = self.model.get_feature_importance(pool, type="ShapValues")[0]
            parts = sorted(zip(names, shap[:-1], strict=True), key=lambda item: -abs(item[1]))
            explanation["score_parts"] = {name: round(float(value), 3) for name, value in parts[:5] if value}
            explanation["learned_score"] = round(float(self.scores([candidate])[0]), 4)
        return explanation

    def save(self, folder: str | Path) -> None:
        """Write the model beside the predictor's other files (nothing when there is no model)."""
        if self.model is not None:
            self.model.save_model(str(Path(folder) / SCORER_FILE))

    @classmethod
    def load(cls, folder: str | Path) -> SpanScorer:
        """Read a scorer written by save(); a folder without one gives the rules' own scores."""
        path = Path(folder) / SCORER_FILE
        if not path.exists():
            return cls(None)
        model = CatBoostClassifier()
        model.load_model(str(path))
        return cls(model)


def gold_labels(candidates: Sequence[Span], gold: Sequence[Span]) -> list[int]:
    """1 for each candidate that shares a character with a gold span, else 0."""
    return [int(any(c.start < g.finish and g.start < c.finish for g in gold)) for c in candidates]


def explanation_json(explanation: dict[str, object]) -> str:
    """Compact JSON of an explanation (for tables and downloads)."""
    return json.dumps(explanation, ensure_ascii=False, separators=(",", ":"))
