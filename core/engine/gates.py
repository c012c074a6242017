"""Yes/no gates answered from one pass over a text: which of all the gates' Hyperscan patterns match in it.

Most of a text's regex searches are gates: a yes/no question ("does a spoken e-mail sign, a platform name, a zone
after a space stand here?") asked before a pass that needs the answer, and most texts say no. Each search costs
1-3 us even when led by a rare letter. A `Gate` holds its regex and one or more Hyperscan patterns of which one
matches wherever the regex does (a necessary condition: its words, or the regex without its look-arounds, its
classes widened); every gate's patterns go into one Hyperscan database, which finds all of them in one pass over
the text (3.5-5 us for a 190-character ad; 0.17 s to build, kept on disk for the next process), remembered for the
last texts asked. A gate answers no where none of its
patterns matched and asks its regex only where one did (never, when its patterns match exactly where the regex
does: `exact`). So a gate's answer is its regex's own; tests/unit/test_gates.py checks each against its regex.

Hyperscan patterns here use no "\\w", "\\d", "\\s" or "\\b" (ASCII in Hyperscan, Unicode in Python): classes are
written out, and a word boundary becomes a class of characters that are certainly word characters (a subset of
Python's "\\w"), so the pattern matches at least where the regex does.

Without Hyperscan (its wheels are x86-64 only), or for a text with a lone surrogate (not valid UTF-8), every gate
asks its regex: the same answers, slower.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import platform
import re
import threading
from collections.abc import Callable, Iterable
from pathlib import Path

try:
    import hyperscan
except ImportError:  # pragma: no cover - requirements.txt installs it wherever a wheel exists
    hyperscan = None

# CONTACTGUARD_NO_HYPERSCAN=1: every gate asks its regex (the fallback's path, to compare the two).
_enabled = hyperscan is not None and os.environ.get("CONTACTGUARD_NO_HYPERSCAN", "") != "1"

_gates: list[Gate] = []  # every gate made, for the tests that check each against its question
_patterns: list[str] = []  # every gate's Hyperscan patterns, by id
_ids: dict[str, int] = {}
_database = None  # built on the first scan after a gate was made (gates are made at import time)
_built_for = 0  # how many patterns the database holds
_local = threading.local()  # each thread's scratch space: Hyperscan refuses one that another scan is using
# text -> bit mask of the patterns that match in it, for the texts asked lately: two generations, the current one
# (_masks) and the one before it (_older), so that a full current generation moves over whole instead of being
# forgotten at once. A batch analysed stage by stage (detectors.analyze_texts) asks a chunk's texts again after the
# whole chunk was normalized: every generation holds up to _MASKS_KEPT texts or _MASKED_CHARS characters (the
# texts themselves stay referenced until the next move).
_masks: dict[str, int] = {}
_older: dict[str, int] = {}
_masked_chars = 0  # the characters of the current generation's texts
_MASKS_KEPT = 1024
_MASKED_CHARS = 1_000_000
_EVERY = -1  # the mask of a text Hyperscan cannot read: every gate asks its regex

# Lower-case letters and digits: certainly word characters ("\w") in Python, so "no word character before" implies
# "none of these before" (the Hyperscan form of a look-behind such as "(?<!\w)").
WORD_CHARS = "a-z0-9_а-яё"


def literal(text: str) -> str:
    """A Hyperscan pattern that matches text itself (every character written as its code point)."""
    return "".join(c if c.isascii() and c.isalnum() else f"\\x{{{ord(c):x}}}" for c in text)


def at_word_start(text: str) -> str:
    """A Hyperscan pattern for text with no WORD_CHARS character before it (where "(?<!\\w)text" may match)."""
    return f"(?:^|[^{WORD_CHARS}]){literal(text)}"


def at_word_end(text: str) -> str:
    """A Hyperscan pattern for text with no WORD_CHARS character after it (where "text\\b" may match)."""
    return f"{literal(text)}(?:[^{WORD_CHARS}]|$)"


def whole_word(text: str) -> str:
    """A Hyperscan pattern for text with no WORD_CHARS character on either side (where "\\btext\\b" may match)."""
    return f"(?:^|[^{WORD_CHARS}]){literal(text)}(?:[^{WORD_CHARS}]|$)"


def _on_match(pattern_id: int, start: int, end: int, flags: int, hits: list[int]) -> None:
    hits.append(pattern_id)


_FLAGS = hyperscan.HS_FLAG_SINGLEMATCH | hyperscan.HS_FLAG_UTF8 if hyperscan is not None else 0


def _cpu_flags() -> str:
    """The processor's feature flags (a database is compiled for the processor it is built on)."""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as cpuinfo:
            return next((line for line in cpuinfo if line.startswith("flags")), "")
    except OSError:
        return ""


def database_file() -> Path:
    """Where the compiled database of these patterns is kept between processes: a user cache folder
    (CONTACTGUARD_CACHE_DIR, else $XDG_CACHE_HOME/contactguard or ~/.cache/contactguard), the file named by a hash of
    the patterns, their flags, the hyperscan version, the machine and its processor's flags."""
    key = hashlib.sha256(
        "\0".join([hyperscan.__version__, platform.machine(), _cpu_flags(), str(_FLAGS), *_patterns]).encode(
            "utf-8", "surrogatepass"
        )
    ).hexdigest()[:32]
    folder = os.environ.get("CONTACTGUARD_CACHE_DIR") or Path(
        os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache", "contactguard"
    )
    return Path(folder) / f"gates-{key}.hsdb"


def _compiled() -> hyperscan.Database:
    """The database of every gate's patterns: read from database_file() (~0.2 ms) or, where that fails, compiled
    (0.17-0.4 s) and written there for the next process (nothing written where the folder cannot be)."""
    path = database_file()
    try:
        return hyperscan.loadb(path.read_bytes(), hyperscan.HS_MODE_BLOCK)
    except Exception:  # (no file, unreadable, corrupt, or refused by this library: compile instead)
        pass
    database = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
    database.compile(
        expressions=[pattern.encode() for pattern in _patterns],
        ids=list(range(len(_patterns))),
        elements=len(_patterns),
        flags=[_FLAGS] * len(_patterns),
    )
    partial = path.with_name(f"{path.name}.{os.getpid()}.{threading.get_ident()}.part")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial.write_bytes(hyperscan.dumpb(database))
        os.replace(partial, path)  # (whole or not at all for a process reading it at the same time)
    except OSError:  # (a folder that cannot be written: the next process compiles too)
        with contextlib.suppress(OSError):
            partial.unlink(missing_ok=True)
    return database


def _build() -> None:
    global _database, _built_for
    _database, _built_for = _compiled(), len(_patterns)
    forget()


def prepare() -> None:
    """Build the Hyperscan database now (0.2 s, or ~1 ms read from database_file()): a predictor does it when made, so
    that its first ad is not slow and forked workers inherit the database instead of each building its own."""
    if _enabled and _built_for != len(_patterns):
        _build()


def pattern_mask(text: str) -> int:
    """Bit i set where pattern i (of every gate's patterns) matches in text: one Hyperscan pass, kept for a while."""
    mask = _masks.get(text)
    if mask is None:
        mask = _older.get(text)
    if mask is not None:
        return mask
    if _built_for != len(_patterns):  # (prepare() without its switch: a caller asks for a pass)
        _build()
    try:
        data = text.encode()
    except UnicodeEncodeError:  # a lone surrogate: not UTF-8, so no Hyperscan pass (every gate asks its regex)
        mask = _EVERY
    else:
        scratch = getattr(_local, "scratch", None)
        if scratch is None or _local.database is not _database:
            scratch = _local.scratch = hyperscan.Scratch(_database)
            _local.database = _database
        hits: list[int] = []
        _database.scan(data, _on_match, 0, hits, scratch)
        mask = 0
        for pattern_id in hits:
            mask |= 1 << pattern_id
    _remember(text, mask)
    return mask


def _remember(text: str, mask: int) -> None:
    """Keep text's mask in the current generation (the current one becoming the older when it is full)."""
    global _masks, _older, _masked_chars
    if len(_masks) >= _MASKS_KEPT or _masked_chars >= _MASKED_CHARS:
        _older, _masks, _masked_chars = _masks, {}, 0
    _masks[text] = mask
    _masked_chars += len(text)


def forget() -> None:
    """Forget every remembered mask (each text is scanned again when next asked)."""
    global _masks, _older, _masked_chars
    _masks, _older, _masked_chars = {}, {}, 0


class Gate:
    """A yes/no question asked of texts (a regex's search, or check), answered no at once where none of patterns
    (Hyperscan patterns, one of which matches wherever the question's answer is yes) matches.

    exact: the answer is yes exactly where one of the patterns matches (then check is never asked).
    lowered: the patterns match in lower_same_length(text) wherever the question's answer for text is yes (each of
    their classes holds the lower-case forms of its characters too): such a gate is asked as
    `gate.maybe(lowered) and question(text)`, from the lowered text's pass that the other gates share.
    scans: whether asking the gate of a text not yet scanned scans it (else the question answers): false for a gate
    asked long after a text's pass, of texts no other gate reads again (the span scorer's hidden-number question on
    raw descriptions), where a pass would serve one gate only.
    """

    __slots__ = ("_mask", "_search", "check", "exact", "lowered", "patterns", "regex", "scans")

    def __init__(
        self,
        question: re.Pattern[str] | str | Callable[[str], bool],
        patterns: Iterable[str],
        exact: bool = False,
        lowered: bool = False,
        scans: bool = True,
    ) -> None:
        if isinstance(question, str):
            question = re.compile(question)
        self.regex = question if isinstance(question, re.Pattern) else None
        # (__call__ asks a regex's search itself: one Python call less per question asked)
        self._search = question.search if self.regex is not None else None
        self.check: Callable[[str], bool] = (
            (lambda text, search=question.search: search(text) is not None) if self.regex is not None else question
        )
        self.patterns = tuple(dict.fromkeys(patterns))
        assert self.patterns, "a gate needs patterns"
        self.exact = exact
        self.lowered = lowered
        self.scans = scans
        assert not (exact and lowered), "a lowered gate's patterns only narrow its question"
        mask = 0
        for pattern in self.patterns:
            if pattern not in _ids:
                _ids[pattern] = len(_patterns)
                _patterns.append(pattern)
            mask |= 1 << _ids[pattern]
        self._mask = mask
        _gates.append(self)

    def _mask_of(self, text: str) -> int:
        """The text's pattern mask (_EVERY where there is no pass to read: gates off, or a text this gate does not
        scan and nobody scanned)."""
        if not _enabled:
            return _EVERY
        # (a remembered text's mask read here: pattern_mask's own first step, without its call)
        mask = _masks.get(text)
        if mask is None:
            mask = pattern_mask(text) if self.scans else _older.get(text, _EVERY)
        return mask

    def maybe(self, text: str) -> bool:
        """False only where the question's answer is no (for text, or for the text whose lowered form text is)."""
        return bool(self._mask_of(text) & self._mask)

    def __call__(self, text: str) -> bool:
        """The question's answer for text."""
        # (_mask_of written out: a gate is asked ~20 times per ad, and the call cost as much as the lookup)
        if not _enabled:
            mask = _EVERY
        else:
            mask = _masks.get(text)
            if mask is None:
                mask = pattern_mask(text) if self.scans else _older.get(text, _EVERY)
        if not mask & self._mask:
            return False
        if self.exact and mask != _EVERY:
            return True
        search = self._search
        return search(text) is not None if search is not None else self.check(text)

    def __repr__(self) -> str:
        question = self.regex.pattern if self.regex is not None else getattr(self.check, "__name__", "check")
        return f"Gate({question!r}, {len(self.patterns)} patterns{', exact' if self.exact else ''})"


def same_gate(pattern: str) -> Gate:
    """A gate for a regex that Hyperscan reads as Python does (plain characters and explicit classes only): the
    regex is its own pattern, so the pass answers it exactly."""
    return Gate(pattern, [pattern], exact=True)


def words_gate(regex: re.Pattern[str] | str, words: Iterable[str], scans: bool = True) -> Gate:
    """A gate for a regex that matches exactly where one of words stands (rare_led_search of the words)."""
    return Gate(regex, [literal(word) for word in words], exact=True, scans=scans)


def all_gates() -> tuple[Gate, ...]:
    """Every gate made so far (the engine's modules make theirs when imported)."""
    return tuple(_gates)


def enabled() -> bool:
    """Whether gates are answered from Hyperscan's pass (False: each asks its question)."""
    return _enabled


def set_enabled(on: bool) -> None:
    """Answer gates from Hyperscan's pass (on, where it is installed) or by their questions: for tests and benches."""
    global _enabled
    _enabled = on and hyperscan is not None
    forget()
