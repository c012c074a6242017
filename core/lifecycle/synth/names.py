"""Names and numbers every builder draws: mobile numbers, digits, handles, site names, mail names, brands."""

from __future__ import annotations

import random

from core.lifecycle.synth.vocab import (
    _BRAND_PARTS_A,
    _BRAND_PARTS_B,
    _CITY_LAT,
    _CYR_FIRST,
    _CYR_LAST,
    _CYR_WORDS,
    _LAT_FIRST,
    _LAT_LAST,
    _LAT_WORDS,
    _TRANSLIT,
)


class _Names:
    """Draws of names and numbers from the seeded random source `rng` (set by `_AdMaker`)."""

    rng: random.Random

    # ---------------------------------------------------------------- names, numbers

    def _mobile(self) -> str:
        """Ten national digits of a Russian mobile number."""
        r = self.rng
        return f"9{r.randrange(100):02d}{r.randrange(10_000_000):07d}"

    def _digits(self, count: int) -> str:
        """A string of random digits, the first one not zero."""
        return str(self.rng.randrange(10 ** (count - 1), 10**count))

    def _latin_handle(self) -> str:
        """A Telegram-style handle in Latin letters."""
        r = self.rng
        roll = r.random()
        if roll < 0.3:
            handle = f"{r.choice(_LAT_FIRST)}_{r.choice(_LAT_LAST)}"
        elif roll < 0.5:
            handle = f"{r.choice(_LAT_FIRST)}{r.choice(_LAT_LAST)}{r.randrange(70, 100)}"
        elif roll < 0.65:
            handle = f"{r.choice(_LAT_WORDS)}_{r.choice(_CITY_LAT)}"
        elif roll < 0.8:
            handle = f"{r.choice(_LAT_FIRST)}_{r.choice(_LAT_WORDS)}"
        elif roll < 0.9:
            handle = f"{r.choice(_LAT_WORDS)}{r.choice(_LAT_WORDS)}{r.randrange(1, 1000)}"
        else:
            handle = f"{r.choice(_LAT_LAST)}{r.randrange(1, 100)}"
        if r.random() < 0.12:
            handle = "_".join(part.capitalize() for part in handle.split("_"))
        return handle

    def _dotted_handle(self) -> str:
        """A handle with dots (Instagram, Skype)."""
        r = self.rng
        if r.random() < 0.5:
            return f"{r.choice(_LAT_FIRST)}.{r.choice(_LAT_LAST)}"
        return f"{r.choice(_LAT_WORDS)}.{r.choice(_CITY_LAT)}"

    def _cyrillic_handle(self) -> str:
        """A handle written in Cyrillic letters."""
        r = self.rng
        roll = r.random()
        if roll < 0.45:
            return f"{r.choice(_CYR_FIRST)}_{r.choice(_CYR_LAST)}"
        if roll < 0.75:
            return f"{r.choice(_CYR_WORDS)}_{r.choice(_CYR_FIRST)}"
        return f"{r.choice(_CYR_FIRST)}{r.choice(_CYR_LAST)}"

    def _site_name(self) -> str:
        """The name part of a website domain."""
        r = self.rng
        roll = r.random()
        if roll < 0.3:
            return f"{r.choice(_LAT_WORDS)}{r.choice(_LAT_WORDS)}"
        if roll < 0.55:
            return f"{r.choice(_LAT_WORDS)}-{r.choice(_LAT_WORDS)}"
        if roll < 0.75:
            return f"{r.choice(_LAT_WORDS)}-{r.choice(_CITY_LAT)}"
        if roll < 0.88:
            return f"{r.choice(_LAT_WORDS)}{r.choice(('24', '77', '1', '-pro', 'shop', 'market'))}"
        return f"{r.choice(_LAT_FIRST)}{r.choice(_LAT_LAST)}"

    def _email_local(self) -> str:
        """The local part of an e-mail address."""
        r = self.rng
        roll = r.random()
        if roll < 0.25:
            return f"{r.choice(_LAT_FIRST)}.{r.choice(_LAT_LAST)}"
        if roll < 0.45:
            return f"{r.choice(_LAT_FIRST)}{r.choice(_LAT_LAST)}{r.randrange(60, 100)}"
        if roll < 0.6:
            return f"{r.choice(_LAT_FIRST)}_{r.choice(_LAT_LAST)}"
        if roll < 0.75:
            return f"{r.choice(_LAT_LAST)}.{r.choice(_LAT_FIRST)[0]}"
        if roll < 0.88:
            return f"{r.choice(_LAT_WORDS)}.{r.choice(_CITY_LAT)}"
        return f"{r.choice(_LAT_FIRST)}{r.randrange(1, 1000)}"

    def _brand(self) -> str:
        """A made-up company name."""
        r = self.rng
        return r.choice(_BRAND_PARTS_A) + r.choice(_BRAND_PARTS_B)

    def _translit_handle(self) -> str:
        """A handle of transliterated Russian words: santehnik_msk, remont_kvartir24."""
        r = self.rng
        word = r.choice(_TRANSLIT)
        roll = r.random()
        if roll < 0.35:
            return f"{word}_{r.choice(_CITY_LAT)}"
        if roll < 0.6:
            return f"{word}{r.choice(('24', '77', '1', '2020', '_pro', '_official', ''))}"
        if roll < 0.8:
            return f"{word}_{r.choice(_LAT_FIRST)}"
        return f"{r.choice(_LAT_FIRST)}_{word}"
