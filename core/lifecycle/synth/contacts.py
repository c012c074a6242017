"""Contact builders, one per disguise (`_c_*`): phones, handles, social links, e-mails, websites."""

from __future__ import annotations

from core.lifecycle.synth.common import _BREAK, Segment, _Ad, _cap, _Gold, _lower_first
from core.lifecycle.synth.phones import (
    _FULLWIDTH,
    _KEYCAP,
    _LOOKALIKE,
    _LOOKALIKE_COMMON,
    _MISSPELLINGS,
    _PLAIN_LAYOUTS,
    _STRONG_SEPARATORS,
    _UNITS,
    _PhoneText,
    _spoken_groups,
)
from core.lifecycle.synth.vocab import (
    _BLANK_HINTS,
    _BLANK_LAYOUTS,
    _BLANK_SIGNS,
    _CITY_BARE_LEADS,
    _CITY_LAT,
    _CITY_LEADS,
    _CITY_TAILS,
    _CYR_DOMAINS,
    _CYR_WORDS,
    _DIGIT_KEYS,
    _DOMAIN_WORDS,
    _EMAIL_LEADS,
    _FOREIGN_MOBILES,
    _HANDLE_PIECE_FRAMES,
    _HANDLE_PIECE_PLATFORMS,
    _KEY_INTROS,
    _KEYED_LEADS,
    _LAT_FIRST,
    _LAT_LAST,
    _LAT_WORDS,
    _MAIL_DOMAINS,
    _PHONE_LEADS,
    _PHONE_LEADS_SHORT,
    _PHONE_TAILS,
    _PIECE_COUNTS,
    _PIECE_FIRST,
    _PIECE_FIRST_TAILS,
    _PIECE_LAST,
    _PIECE_MIDDLE,
    _PLAIN_KIND,
    _PLATFORM_PICK,
    _REVERSED_LEADS,
    _RIDDLE_HINTS,
    _RIDDLE_INTROS,
    _RIDDLE_ITEMS,
    _RIDDLE_LINES,
    _SCATTER_LETTERS,
    _SCATTER_PHRASES,
    _SLASH_PICK,
    _SLASH_WORDS,
    _SOCIAL_LEADS,
    _SOCIAL_LEADS_BY_SITE,
    _SPLIT_FIRST_LEADS,
    _SPLIT_MIDDLES,
    _SPOKEN_ZONES,
    _TG_LEADS,
    _TG_NAMED_LEADS,
    _TG_SLANG_LEADS,
    _TLDS,
    _TRANSLIT,
    _URL_LEADS,
    _WA_LEADS,
    _WA_TAILS,
    _WRAPPED_FILLERS,
    _WRAPPED_HINTS,
    _WRAPPERS,
)


class _Contacts(_PhoneText):
    """The contact builders: each returns a contact phrase with its gold segments."""

    def _c_plain_phone(self, ad: _Ad) -> list[Segment]:
        """Plain mobile number."""
        national = self._mobile()
        return self._phone_phrase(self._plain_phone_text(national), national, "plain")

    def _c_plain(self, ad: _Ad) -> list[Segment]:
        """A plainly written phone, e-mail or website."""
        kind = _PLAIN_KIND.pick(self.rng)
        if kind == "phone":
            return self._c_plain_phone(ad)
        if kind == "email":
            return self._c_plain_email(ad)
        return self._c_plain_url(ad)

    def _c_separators(self, ad: _Ad) -> list[Segment]:
        """Digits split by dots, stars, underscores, slashes or a mix."""
        r = self.rng
        national = self._mobile()
        first = r.choice(("8", "8", "7", "+7"))
        roll = r.random()
        strong = _STRONG_SEPARATORS
        if roll < 0.3:
            sep = r.choice((".", ".", "-", "*", "_", " . ", ".."))
            text = first + sep + sep.join(national)
        elif roll < 0.6:
            sep = r.choice(strong)
            text = self._compose(first, national, 3, f"{{p}}{sep}{{c}}{sep}{{a}}{sep}{{b}}{sep}{{d}}")
        elif roll < 0.85:
            gaps = [r.choice((*strong, " ", "-", "")) for _ in range(4)]
            gaps[r.randrange(4)] = r.choice(strong)
            layout = f"{{p}}{gaps[0]}{{c}}{gaps[1]}{{a}}{gaps[2]}{{b}}{gaps[3]}{{d}}"
            text = self._compose(first, national, 3, layout)
        else:
            sep = r.choice(("*", "_", ".", "/"))
            text = self._compose(first, national, 3, f"{{p}}({{c}}){{a}}{sep}{{b}}{sep}{{d}}")
        gold = _Gold(text, "phone", "+7" + national, "separators")
        if r.random() < 0.15:
            return [r.choice(("(доп.тел.", "(тел.", "(т.")), gold, ")"]
        return [_PHONE_LEADS.pick(r), gold, _PHONE_TAILS.pick(r)]

    def _c_spaced(self, ad: _Ad) -> list[Segment]:
        """Every digit (or small clumps of digits) separated by spaces."""
        r = self.rng
        national = self._mobile()
        first = r.choice(("8", "8", "7", "+7", "+ 7"))
        roll = r.random()
        if roll < 0.5:
            text = first + " " + " ".join(national)
        elif roll < 0.7:
            text = first + "  " + "  ".join(national)
        else:
            chunks: list[str] = []
            position = 0
            while position < 10:
                size = r.choice((1, 1, 2))
                chunks.append(national[position : position + size])
                position += size
            text = first + " " + " ".join(chunks)
        return self._phone_phrase(text, national, "spaced")

    def _c_reversed(self, ad: _Ad) -> list[Segment]:
        """A number written backwards, and the ad says so."""
        r = self.rng
        national = self._mobile()
        digits = (r.choice(("8", "8", "7")) + national)[::-1]
        if r.random() < 0.4:
            text = r.choice((" ", "")).join(digits)
        else:
            text = self._split_text(digits[:5]) + r.choice((" ", "-", " ")) + self._split_text(digits[5:])
        return [r.choice(_REVERSED_LEADS), _Gold(text, "phone", "+7" + national, "reversed")]

    def _c_keyed(self, ad: _Ad) -> list[Segment]:
        """A number written with a key the ad gives: letters, note names or emojis for digits."""
        r = self.rng
        national = self._mobile()
        digits = "8" + national
        key_name, key = r.choice(_DIGIT_KEYS)
        shown = [(d, key[d]) for d in "1234567890" if d in key]
        if key_name in ("russian", "latin") and r.random() < 0.5:
            shown = shown[:2] + shown[8:]  # "А=1, Б=2 … И=9": the reader completes the alphabet
            legend = (
                ", ".join(f"{sign}={d}" for d, sign in shown[:2])
                + " … "
                + ", ".join(f"{sign}={d}" for d, sign in shown[2:])
            )
        else:
            legend = ", ".join(f"{sign}{r.choice(('=', ' = '))}{d}" for d, sign in shown)
        glyphs = [key.get(d, d) for d in digits]
        sizes = r.choice(((1, 3, 3, 2, 2), (1, 3, 3, 4), (4, 3, 2, 2)))
        joiner = "" if key_name in ("russian", "latin", "emoji") and r.random() < 0.5 else " "
        groups, position = [], 0
        for size in sizes:
            groups.append(joiner.join(glyphs[position : position + size]))
            position += size
        text = r.choice(("-", " ", " - ")).join(groups)
        gold = _Gold(text, "phone", "+7" + national, "keyed")
        intro = r.choice(_KEY_INTROS).format(legend=legend)
        if r.random() < 0.7:
            return [intro + " " + r.choice(_KEYED_LEADS), gold, r.choice(("", ".", " 😉"))]
        return [r.choice(_KEYED_LEADS), gold, f" ({legend})"]

    def _c_blanks(self, ad: _Ad) -> list[Segment]:
        """A number with blanks the ad tells the reader how to fill: '8 9__ 512 40 77 — вместо пропуска 6'."""
        r = self.rng
        national = self._mobile()
        blank = r.choice(_BLANK_SIGNS)
        count = r.choice((1, 2, 2, 2, 3))
        start = r.randrange(1, 10 - count)
        hidden = national[start : start + count]
        masked = national[:start] + blank * count + national[start + count :]
        text = self._compose(r.choice(("8 ", "8", "+7 ")), masked, 3, r.choice(_BLANK_LAYOUTS))
        gold = _Gold(text, "phone", "+7" + national, "blanks")
        return [r.choice(_PHONE_LEADS_SHORT), gold, r.choice(_BLANK_HINTS).format(digits=hidden, n=count)]

    def _c_words(self, ad: _Ad) -> list[Segment]:
        """The whole number in Russian words."""
        r = self.rng
        national = self._mobile()
        joiner = r.choice((" ", " ", " ", ", ", " - ", "-"))
        prefix = r.choice(("восемь", "восемь", "плюс семь", "семь", ""))
        groups = self._word_groups(national)
        words = _spoken_groups(groups, [True] * len(groups))
        if prefix:
            words.insert(0, prefix)
        text = joiner.join(words)
        if r.random() < 0.25:  # a seller who writes the words as he hears them
            text = " ".join(
                r.choice(_MISSPELLINGS[word]) if word in _MISSPELLINGS and r.random() < 0.6 else word
                for word in text.split(" ")
            )
        text = self._word_case(text)
        return self._phone_phrase(text, national, "words")

    def _c_mixed_words(self, ad: _Ad) -> list[Segment]:
        """Digits and words in one number: composed groups, or the older 'last digit as a word' form."""
        r = self.rng
        national = self._mobile()
        if r.random() < 0.25:
            first = r.choice(("8", "8", "+7", "восемь"))
            body = national[:-1]
            cut = r.choice((3, 6, 8))
            digits_part = body[:cut] + r.choice((" ", "", " ")) + body[cut:]
            tail_sep = r.choice((" ", " ", "-", ", "))
            space = " " if first == "восемь" else r.choice(("", " "))
            text = f"{first}{space}{digits_part}{tail_sep}{_UNITS[int(national[-1])]}"
            return self._phone_phrase(text, national, "mixed_words")
        return self._phone_phrase(self._composed_text(national, "mixed_words"), national, "mixed_words")

    def _c_english_words(self, ad: _Ad) -> list[Segment]:
        """Mostly English number words: 'eight nine one two', '+7 nine twelve 345 sixty-seven 89'."""
        national = self._mobile()
        return self._phone_phrase(self._composed_text(national, "english_words"), national, "english_words")

    def _c_glued(self, ad: _Ad) -> list[Segment]:
        """Number words glued to digits: '8девятьсот12 345 шестьдесят7 89'."""
        national = self._mobile()
        return self._phone_phrase(self._composed_text(national, "glued"), national, "glued")

    def _c_invisible(self, ad: _Ad) -> list[Segment]:
        """Invisible characters (U+200B, U+2060, U+FEFF, U+00AD) between the digits."""
        national = self._mobile()
        return self._phone_phrase(self._composed_text(national, "invisible"), national, "invisible")

    def _c_lookalike(self, ad: _Ad) -> list[Segment]:
        """Digits replaced by look-alike letters: О for 0, З for 3, l/I for 1, б for 6."""
        r = self.rng
        national = self._mobile()
        while not any(digit in national for digit in _LOOKALIKE_COMMON):
            national = self._mobile()
        glyphs = list(national)
        candidates = [i for i, digit in enumerate(national) if digit in _LOOKALIKE_COMMON]
        changed = False
        for i, digit in enumerate(national):
            options = _LOOKALIKE.get(digit)
            if options and r.random() < (0.45 if digit in _LOOKALIKE_COMMON else 0.12):
                glyphs[i] = r.choice(options)
                changed = True
        if not changed:
            i = r.choice(candidates)
            glyphs[i] = r.choice(_LOOKALIKE[national[i]])
        prefix = r.choice(("8", "8", "+7", "В", ""))
        text = self._compose(prefix, glyphs, 3, _PLAIN_LAYOUTS.pick(r))
        return self._phone_phrase(text, national, "lookalike")

    def _c_emoji(self, ad: _Ad) -> list[Segment]:
        """Keycap emoji digits (8️⃣9️⃣...)."""
        r = self.rng
        national = self._mobile()
        glyphs = [digit + _KEYCAP for digit in national]
        if r.random() < 0.25:
            keep = r.randrange(2, 6)
            glyphs[:keep] = list(national[:keep])
        prefix = r.choice(("8" + _KEYCAP, "8" + _KEYCAP, "+7" + _KEYCAP, "8"))
        layout = r.choice(("{p}{c}{a}{b}{d}", "{p} {c} {a} {b} {d}", "{p} {c} {a}{b}{d}", "{p}-{c}-{a}-{b}-{d}"))
        return self._phone_phrase(self._compose(prefix, glyphs, 3, layout), national, "emoji")

    def _c_fullwidth(self, ad: _Ad) -> list[Segment]:
        """Full-width digits (８９１２...)."""
        r = self.rng
        national = self._mobile()
        if r.random() < 0.7:
            glyphs = [_FULLWIDTH[digit] for digit in national]
        else:
            glyphs = [_FULLWIDTH[digit] if r.random() < 0.5 else digit for digit in national]
            glyphs[0] = _FULLWIDTH[national[0]]
        prefix = r.choice((_FULLWIDTH["8"], _FULLWIDTH["8"], "+7", "＋" + _FULLWIDTH["7"], "8"))
        text = self._compose(prefix, glyphs, 3, _PLAIN_LAYOUTS.pick(r))
        return self._phone_phrase(text, national, "fullwidth")

    def _c_scattered(self, ad: _Ad) -> list[Segment]:
        """Digits scattered among letters or through the words of a sentence."""
        r = self.rng
        national = self._mobile()
        digits = r.choice(("8", "8", "7")) + national
        value = "+7" + national
        if r.random() < 0.4:
            parts = []
            for digit in digits[:-1]:
                parts.append(digit)
                parts.append("".join(r.choice(_SCATTER_LETTERS) for _ in range(r.choice((1, 1, 2)))))
            parts.append(digits[-1])
            text = "".join(parts)
            if r.random() < 0.3:
                text = text.upper()
            lead = r.choice(("", "", "Тел ", "номер: ", "Звоните ", "пишите "))
            return [lead, _Gold(text, "phone", value, "scattered")]
        words = r.choice(_SCATTER_PHRASES).split()
        n_chunks = r.randrange(3, 6)
        cuts = sorted(r.sample(range(1, len(digits)), n_chunks - 1))
        chunks = [digits[i:j] for i, j in zip((0, *cuts), (*cuts, len(digits)), strict=True)]
        pre_count = r.randrange(0, 3)
        pre = " ".join(words[:pre_count])
        rest = words[pre_count:]
        pieces = [chunks[0]]
        for chunk in chunks[1:]:
            take = r.choice((1, 1, 2))
            filler = " ".join(rest[:take]) if rest else r.choice(("и", "а", "да"))
            rest = rest[take:]
            before = r.choice(("", " ", " "))
            after = r.choice(("", "", " "))
            pieces.append(f"{before}{filler}{after}{chunk}")
        post = " ".join(rest)
        text = "".join(pieces)
        if pre:
            pre = _cap(pre) + r.choice((" ", " ", ""))
        if post:
            post = r.choice((" ", "", " ")) + post
        return [pre, _Gold(text, "phone", value, "scattered"), post]

    def _c_split(self, ad: _Ad) -> list[Segment]:
        """One number written in two sentences: two gold spans."""
        r = self.rng
        national = self._mobile()
        digits = r.choice(("8", "8", "7")) + national
        value = "+7" + national
        cut = r.randrange(4, 9)
        first = self._split_text(digits[:cut])
        second = self._split_text(digits[cut:])
        if r.random() < 0.15:
            first = "+" + first if first.startswith("7") else first
        lead = r.choice(_SPLIT_FIRST_LEADS)
        middle = r.choice(_SPLIT_MIDDLES)
        return [
            lead,
            _Gold(first, "phone", value, "split_sentences"),
            middle,
            _Gold(second, "phone", value, "split_sentences"),
        ]

    def _wrapped_pieces(self) -> list[Segment]:
        """One number in 3-4 pieces, each in the same wrapper after an ordinary phrase: '(8)', '⭐928⭐'."""
        r = self.rng
        national = self._mobile()
        digits = r.choice(("8", "8", "7")) + national
        count = r.choice((3, 4, 4))
        cuts = sorted(r.sample(range(1, len(digits)), count - 1))
        pieces = [digits[i:j] for i, j in zip((0, *cuts), (*cuts, len(digits)), strict=True)]
        opening, closing = r.choice(_WRAPPERS)
        hint = r.choice(_WRAPPED_HINTS)
        phrase: list[Segment] = [hint] if hint else []
        for index, piece in enumerate(pieces):
            if index:
                phrase.append(_BREAK)
            shown = " ".join(piece) if len(piece) > 1 and r.random() < 0.15 else piece
            filler = _cap(r.choice(_WRAPPED_FILLERS)) if r.random() < 0.5 else r.choice(_WRAPPED_FILLERS)
            phrase.extend((f"{filler} {opening}", _Gold(shown, "phone", "+7" + national, "split_pieces"), closing))
        return phrase

    def _riddle_pieces(self) -> list[Segment]:
        """A number as the values of a list (prices, codes) that the ad tells the reader to read in order."""
        r = self.rng
        national = self._mobile()
        digits = r.choice(("8", "8", "7")) + national
        count = r.choice((3, 4, 4))
        cuts = sorted(r.sample(range(2, len(digits) - 1), count - 1))
        while any(b - a < 2 for a, b in zip((0, *cuts), (*cuts, len(digits)), strict=True)):
            cuts = sorted(r.sample(range(2, len(digits) - 1), count - 1))
        pieces = [digits[i:j] for i, j in zip((0, *cuts), (*cuts, len(digits)), strict=True)]
        lead, unit = r.choice(_RIDDLE_LINES)
        items = r.sample(_RIDDLE_ITEMS, count)
        phrase: list[Segment] = [r.choice(_RIDDLE_INTROS)]
        for item, piece in zip(items, pieces, strict=True):
            phrase.extend((f"\n{lead.format(item=item)}", _Gold(piece, "phone", "+7" + national, "split_pieces"), unit))
        phrase.append("\n" + r.choice(_RIDDLE_HINTS))
        return phrase

    def _c_split_pieces(self, ad: _Ad) -> list[Segment]:
        """One number in 2-4 pieces placed apart, each after (or before) a connecting phrase; a span per piece."""
        r = self.rng
        roll = r.random()
        if roll < 0.12:
            return self._wrapped_pieces()
        if roll < 0.22:
            return self._riddle_pieces()
        national = self._mobile()
        prefix = r.choice(("8", "8", "7", "+7", ""))
        digits = prefix + national
        value = "+7" + national
        count = r.choice((2, 2, 3, 3, 3, 4))
        natural = [len(prefix) + 3, len(prefix) + 6, len(prefix) + 8]
        if prefix and count == 4:
            natural.insert(0, len(prefix))
        if len(natural) >= count - 1 and r.random() < 0.8:
            cuts = sorted(r.sample(natural, count - 1))
        else:
            cuts = sorted(r.sample(range(2, len(digits) - 1), count - 1))
            while any(b - a < 2 for a, b in zip((0, *cuts), (*cuts, len(digits)), strict=True)):
                cuts = sorted(r.sample(range(2, len(digits) - 1), count - 1))
        pieces = [digits[i:j] for i, j in zip((0, *cuts), (*cuts, len(digits)), strict=True)]
        phrase: list[Segment] = []
        for index, piece in enumerate(pieces):
            gold = _Gold(self._piece_text(piece), "phone", value, "split_pieces")
            if index:
                phrase.append(_BREAK)
            if index == 0:
                lead = _PIECE_FIRST.pick(r)
                tail = r.choice(_PIECE_FIRST_TAILS) if not lead and r.random() < 0.6 else ""
            elif index < len(pieces) - 1:
                lead, tail = _PIECE_MIDDLE.pick(r), ""
            else:
                lead = _PIECE_LAST.pick(r)
                if lead == "{count} ":
                    count_word = _PIECE_COUNTS.get(len(piece.lstrip("+")), "последние")
                    lead = count_word + r.choice((" ", " цифры ", ": ", " цифры: "))
                tail = ""
            if r.random() < 0.3:
                lead = _cap(lead)
            phrase.extend((lead, gold, tail))
        return phrase

    def _c_city(self, ad: _Ad) -> list[Segment]:
        """A landline with its area code, or a 6-7 digit city number; sometimes with no phone word near."""
        r = self.rng
        code = ad.code
        if code == "495":
            code = r.choice(("495", "499"))
        elif code == "496":
            code = r.choice(("496", "498"))
        roll = r.random()
        if roll < 0.3:  # towns and villages: four- and five-digit codes, six- and five-digit local numbers
            code = f"{r.randrange(3, 9)}{r.randrange(1, 10)}{r.randrange(10)}{r.randrange(10)}"
            code += f"{r.randrange(10)}" if roll < 0.1 else ""
        local_len = 10 - len(code)  # a district's five-digit code leaves a five-digit village number
        local = f"{r.randrange(2, 8)}{r.randrange(10 ** (local_len - 1)):0{local_len - 1}d}"
        lead = _CITY_LEADS.pick(r) if r.random() < 0.65 else r.choice(_CITY_BARE_LEADS)
        tail = r.choice(_CITY_TAILS)
        if "{code}" in tail:
            # "Звоните на домашний 2-41-87, код района 84367": the code said apart is a piece of the number
            before, after = tail.split("{code}")
            code_text = r.choice(("8 ", "8", "", "")) + code
            return [
                lead,
                _Gold(self._city_local(local), "phone", "+7" + code + local, "city_number"),
                before,
                _Gold(code_text, "phone", "+7" + code + local, "city_number"),
                after,
            ]
        if r.random() < 0.55:
            national = code + local
            prefix = r.choice(("8 ", "8", "8-", "+7 ", "+7", "", ""))
            code_text = r.choice((f"({code}) ", f"({code})", f"{code} ", f"{code}-", f"({code}) "))
            if not prefix and "(" not in code_text and r.random() < 0.6:
                code_text = f"({code}) "
            text = prefix + code_text + self._city_local(local)
            return [lead, _Gold(text, "phone", "+7" + national, "city_number"), tail]
        return [lead, _Gold(self._city_local(local), "phone", local, "city_number"), tail]

    def _c_messenger_number(self, ad: _Ad) -> list[Segment]:
        """A WhatsApp/Viber number (kind phone)."""
        r = self.rng
        national = self._mobile()
        gold = _Gold(self._plain_phone_text(national), "phone", "+7" + national, "messenger_number")
        if r.random() < 0.2:
            # "вайбер +375 29 611-42-07", "ватсап Кыргызстан +996_555_387_104": a neighbouring country's mobile
            country, code, rest = r.choice(_FOREIGN_MOBILES)
            subscriber = code + "".join(str(r.randrange(10)) for _ in range(rest))
            separator = r.choice((" ", " ", "-", ".", "_", ""))
            groups = [subscriber[:2], subscriber[2:5], subscriber[5:7], subscriber[7:]]
            text = f"+{country}{r.choice((' ', ''))}" + separator.join(g for g in groups if g)
            gold = _Gold(text, "phone", f"+{country}{subscriber}", "messenger_number")
        lead = _WA_LEADS.pick(r)
        if lead == "":
            return [gold, r.choice(_WA_TAILS)]
        return [lead, gold]

    # ---------------------------------------------------------------- handles, social, e-mail, url

    def _c_handle(self, ad: _Ad) -> list[Segment]:
        """@handle, 'tg: handle', t.me links, Skype or Discord ids."""
        r = self.rng
        roll = r.random()
        handle = self._latin_handle()
        value = "@" + handle.lower()
        if roll < 0.35:
            return [_TG_LEADS.pick(r), _Gold("@" + handle, "messenger", value, "handle")]
        if roll < 0.6:
            return [r.choice(_TG_NAMED_LEADS), _Gold(handle, "messenger", value, "handle")]
        if roll < 0.8:
            link = r.choice(("t.me/", "https://t.me/", "t.me/", "telegram.me/", "http://t.me/")) + handle
            lead = r.choice(("", "Telegram: ", "Канал: ", "Пишите: ", "Наш канал ", "Телеграм "))
            return [lead, _Gold(link, "messenger", "t.me/" + handle.lower(), "handle")]
        if roll < 0.9:
            skype = self._dotted_handle()
            lead = r.choice(("Skype: ", "скайп: ", "Скайп ", "skype ", "Skype "))
            return [lead, _Gold(skype, "messenger", "skype:" + skype.lower(), "handle")]
        name = r.choice((*_LAT_FIRST, *_LAT_WORDS)) + r.choice(("", "_", "")) + r.choice(("", "x", "pro", "777"))
        discord = f"{name}#{r.randrange(1000, 10000)}"
        lead = r.choice(("Discord: ", "discord: ", "Дискорд ", "дискорд: "))
        return [lead, _Gold(discord, "messenger", "discord:" + discord.lower(), "handle")]

    def _c_cyrillic_handle(self, ad: _Ad) -> list[Segment]:
        """A handle in Cyrillic letters or behind slang like 'тг', 'телега'."""
        r = self.rng
        roll = r.random()
        if roll < 0.5:
            handle = self._cyrillic_handle()
            at = r.choice(("", "", "@"))
            lead = r.choice((*_TG_SLANG_LEADS, "Телеграм: ", "Telegram ", "Пишите в телеграм "))
        else:
            handle = self._latin_handle()
            at = r.choice(("", "@"))
            lead = r.choice(_TG_SLANG_LEADS)
        return [lead, _Gold(at + handle, "messenger", "@" + handle.lower(), "cyrillic_handle")]

    def _platform_value(self, platform: str, handle: str) -> tuple[str, str, str]:
        """(kind, value, shown handle) of a handle named by a platform."""
        r = self.rng
        low = handle.lower()
        if platform in ("telegram", "login", "whatsapp"):
            return "messenger", "@" + low, handle
        if platform == "channel":
            return "messenger", "t.me/" + low, handle
        if platform == "skype":
            return "messenger", "skype:" + low, handle
        if platform == "discord":
            return "messenger", "discord:" + low, handle
        if platform == "vk":
            return "social", "vk.com/" + low, handle
        if platform == "instagram":
            return "social", "instagram.com/" + low, handle
        if platform == "youtube":
            return "social", "youtube.com/@" + low, handle
        if platform == "tiktok":
            return "social", "tiktok.com/@" + low, handle
        domain = r.choice(("yandex", "yandex", "gmail")) if platform == "mail" else "mail"
        zone = "com" if domain == "gmail" else "ru"
        return "email", f"{low}@{domain}.{zone}", handle

    def _platform_handle(self, platform: str) -> str:
        """A handle fit for the platform: Latin, dotted, transliterated or Cyrillic."""
        r = self.rng
        roll = r.random()
        if platform in ("skype", "mail"):
            return (
                self._dotted_handle()
                if roll < 0.5
                else self._email_local()
                if platform == "mail"
                else self._latin_handle()
            )
        if platform == "discord":
            return self._latin_handle()
        if platform in ("telegram", "vk", "login", "whatsapp") and roll < 0.25:
            return self._cyrillic_handle()
        if roll < 0.55:
            return self._latin_handle()
        if roll < 0.8 or platform not in ("instagram", "skype"):
            return self._translit_handle()
        return self._dotted_handle()

    def _handle_piece_words(self, count: int) -> list[str]:
        """A handle's 2-3 pieces: Latin words and names, an underscore at a joint, digits or a city at the end."""
        r = self.rng
        pool = (*_LAT_FIRST, *_LAT_WORDS, *(word for word in _TRANSLIT if len(word) <= 12))
        words = [r.choice(pool) for _ in range(count - 1)]
        words.append(r.choice((*_LAT_LAST, *_CITY_LAT, *_LAT_WORDS)) if r.random() < 0.6 else r.choice(pool))
        pieces: list[str] = []
        for index, word in enumerate(words):
            if index and not pieces[-1].endswith("_") and r.random() < 0.6:
                word = "_" + word  # the joint's underscore opens this piece ("moto", "_ilya96")
            elif index < count - 1 and r.random() < 0.6:
                word += "_"  # or closes the one before ("data_", "rescue_", "msk24")
            pieces.append(word)
        if r.random() < 0.55:
            pieces[-1] += r.choice((str(r.randrange(1, 100)), str(r.randrange(1975, 2011)), "24", "77", "_1"))
        return pieces

    def _c_handle_pieces(self, ad: _Ad) -> list[Segment]:
        """A telegram/instagram/vk handle given in 2-3 named pieces: 'первый — moto, второй — _ilya96'; a span each."""
        r = self.rng
        kind, prefix, platform_words = _HANDLE_PIECE_PLATFORMS.pick(r)
        count = r.choice((2, 2, 2, 3, 3))
        pieces = self._handle_piece_words(count)
        at = "@" if prefix == "@" and r.random() < 0.1 else ""
        value = prefix + "".join(pieces).lower()
        frame = r.choice(_HANDLE_PIECE_FRAMES[count]).replace("{p}", r.choice(platform_words))
        phrase: list[Segment] = []
        rest = frame
        for index, piece in enumerate(pieces):
            before, rest = rest.split(f"{{{index}}}", 1)
            phrase.extend((before, _Gold((at if index == 0 else "") + piece, kind, value, "split_pieces")))
        phrase.append(rest)
        return phrase

    def _c_platform_handle(self, ad: _Ad) -> list[Segment]:
        """A handle without '@' right after a platform word: 'инст ivan.petrov', 'ютуб remont_master', 'тг иван'."""
        r = self.rng
        platform, words, _weight = _PLATFORM_PICK.pick(r)
        kind, value, handle = self._platform_value(platform, self._platform_handle(platform))
        word = r.choice(words)
        if r.random() < 0.15 and not word.endswith(":"):
            after = r.choice((" ({})", " в {}", " — {}", " ({})"))
            return [r.choice(("", "Пишите ", "Ищите ", "Мы тут: ")), _Gold(handle, kind, value, "platform_handle"),
                    after.format(word.rstrip(":"))]  # fmt: skip
        joiner = " " if word.endswith(":") else r.choice((" ", ": ", " - ", " — ", ":", " "))
        lead = r.choice(("", "", "", "Пишите ", "Связь: ", "Подписывайтесь ", "Наш ", "Мы тут: "))
        if lead and word[:1].isupper():
            word = _lower_first(word)
        return [lead + word + joiner, _Gold(handle, kind, value, "platform_handle")]

    def _c_slash_handle(self, ad: _Ad) -> list[Segment]:
        """A handle right after 'platform/': 'тг/ivan_petrov', 'inst/ivan.petrov', 'вк / santehnik_msk'."""
        r = self.rng
        platform = _SLASH_PICK.pick(r)
        handle = self._platform_handle(platform)
        kind, value, handle = self._platform_value(platform, handle)
        at = "@" if kind == "messenger" and r.random() < 0.2 else ""
        slash = r.choice(("/", "/", "/", " / ", "/ "))
        lead = r.choice(("", "", "Пишите ", "Связь: ", "Мы тут: ", "Подписывайтесь ", "Контакты: ", "Наши работы "))
        # The handle alone is the contact; the platform and its slash lead into it (as writers mark it).
        return [lead + r.choice(_SLASH_WORDS[platform]) + slash, _Gold(at + handle, kind, value, "slash_handle")]

    def _c_social(self, ad: _Ad) -> list[Segment]:
        """Links to vk/ok/instagram/youtube or a profile name after 'инст:', 'вк'."""
        r = self.rng
        roll = r.random()
        if roll < 0.7:
            site = r.random()
            leads = _SOCIAL_LEADS_BY_SITE[
                "vk"
                if site < 0.35
                else "ok"
                if site < 0.5
                else "instagram"
                if site < 0.8
                else "youtube"
                if site < 0.95
                else "facebook"
            ]
            if site < 0.35:
                link = r.choice(
                    (
                        f"vk.com/{self._latin_handle()}",
                        f"https://vk.com/{self._latin_handle()}",
                        f"vk.com/id{self._digits(r.randrange(6, 10))}",
                        f"https://vk.com/club{self._digits(r.randrange(7, 10))}",
                        f"m.vk.com/{self._latin_handle()}",
                        f"www.vk.com/public{self._digits(r.randrange(7, 10))}",
                    )
                )
            elif site < 0.5:
                link = r.choice(
                    (
                        f"ok.ru/profile/{self._digits(12)}",
                        f"https://ok.ru/group/{self._digits(14)}",
                        f"ok.ru/{self._latin_handle().lower()}",
                    )
                )
            elif site < 0.8:
                link = r.choice(("instagram.com/", "https://www.instagram.com/", "www.instagram.com/"))
                link += r.choice((self._latin_handle(), self._dotted_handle()))
            elif site < 0.95:
                chars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
                link = r.choice(
                    (
                        f"youtube.com/c/{self._latin_handle()}",
                        "https://www.youtube.com/channel/UC" + "".join(r.choice(chars) for _ in range(22)),
                        "https://youtu.be/" + "".join(r.choice(chars) for _ in range(11)),
                    )
                )
            else:
                link = f"facebook.com/{self._dotted_handle()}"
            lead = r.choice(leads) if r.random() < 0.6 else _SOCIAL_LEADS.pick(r)
            return [lead, _Gold(link, "social", link.lower(), "social_link")]
        name_roll = r.random()
        if name_roll < 0.45:
            handle = r.choice((self._latin_handle(), self._dotted_handle()))
            at = r.choice(("", "", "@"))
            lead = r.choice(
                ("инст: ", "Инст ", "Инстаграм: ", "инстаграм ", "insta: ", "Instagram: ", "Наш инстаграм ")
            )
            return [lead, _Gold(at + handle, "social", "instagram.com/" + handle.lower(), "social_link")]
        if name_roll < 0.75:
            ident = "id" + self._digits(r.randrange(6, 10))
            lead = r.choice(("вк ", "ВК ", "Вконтакте: ", "vk ", "Страница вк: "))
            return [lead, _Gold(ident, "social", "vk.com/" + ident, "social_link")]
        if name_roll < 0.9:
            handle = self._latin_handle()
            lead = r.choice(("Группа вк: ", "ВК: ", "вконтакте ", "Мы в вк: "))
            return [lead, _Gold(handle, "social", "vk.com/" + handle.lower(), "social_link")]
        handle = self._latin_handle()
        lead = r.choice(("тикток ", "TikTok: ", "Тик-ток "))
        return [lead, _Gold("@" + handle, "social", "tiktok.com/@" + handle.lower(), "social_link")]

    def _email_parts(self) -> tuple[str, str, str]:
        """Local part, domain name and top-level domain of an address."""
        local = self._email_local()
        domain, tld = _MAIL_DOMAINS.pick(self.rng)
        return local, domain, tld

    def _c_plain_email(self, ad: _Ad) -> list[Segment]:
        """A plainly written e-mail address."""
        r = self.rng
        if r.random() < 0.12:
            local, domain, tld = r.choice(("info", "zakaz", "sale", "office", "hr")), self._site_name(), "ru"
        else:
            local, domain, tld = self._email_parts()
        text = f"{local}@{domain}.{tld}"
        if r.random() < 0.12:
            text = _cap(text)
        return [_EMAIL_LEADS.pick(r), _Gold(text, "email", text.lower(), "plain")]

    def _c_email_words(self, ad: _Ad) -> list[Segment]:
        """'ivan собака mail точка ru', 'ivan эт яндекс тчк ру', 'ivan(at)mail(dot)ru', 'ivan (a) gmail com'."""
        r = self.rng
        local, domain, tld = self._email_parts()
        value = f"{local}@{domain}.{tld}"
        roll = r.random()
        if roll < 0.2:
            text = f"{local}(at){domain}(dot){tld}"
        elif roll < 0.3:
            text = f"{local} [at] {domain} [dot] {tld}"
        elif roll < 0.38:
            text = f"{local} at {domain} dot {tld}"
        else:
            spoken_domain = r.choice(_DOMAIN_WORDS.get(domain, (domain,))) if r.random() < 0.5 else domain
            spoken_tld = r.choice(_SPOKEN_ZONES.get(tld, (tld,))) if r.random() < 0.4 else tld
            at = r.choice(
                (" собака ", " собака ", " собачка ", "(собака)", " (собака) ", " эт ", " at ", "(at)", " (a) ",
                 "(a)", "@", " @ ")
            )  # fmt: skip
            dot = r.choice((" точка ", " точка ", " тчк ", "(точка)", " dot ", "(dot)", ".", " . ", " "))
            if at == "@" and dot == "." and spoken_domain == domain and spoken_tld == tld:
                dot = r.choice((" точка ", " тчк ", " dot "))
            text = f"{local}{at}{spoken_domain}{dot}{spoken_tld}"
        return [_EMAIL_LEADS.pick(r), _Gold(text, "email", value, "email_words")]

    def _c_email_spaced(self, ad: _Ad) -> list[Segment]:
        """Letters of an e-mail separated by spaces."""
        r = self.rng
        local, domain, tld = self._email_parts()
        value = f"{local}@{domain}.{tld}"
        roll = r.random()
        if roll < 0.5:
            text = " ".join(value)
        elif roll < 0.8:
            text = f"{local} @ {domain} . {tld}"
        else:
            text = " ".join(local) + f" @{domain}.{tld}"
        return [_EMAIL_LEADS.pick(r), _Gold(text, "email", value, "email_spaced")]

    def _c_plain_url(self, ad: _Ad) -> list[Segment]:
        """A website written plainly: https://, www., bare domain, .рф."""
        r = self.rng
        cyrillic = r.random() < 0.12
        domain = r.choice(_CYR_DOMAINS) + ".рф" if cyrillic else f"{self._site_name()}.{_TLDS.pick(r)}"
        roll = r.random()
        if roll < 0.25:
            text = "https://" + domain
        elif roll < 0.35:
            text = "http://" + domain
        elif roll < 0.55:
            text = "www." + domain
        elif roll < 0.8:
            text = domain
        else:
            path = r.choice(("catalog", "price", "uslugi", "kontakty", "sale", "portfolio", "remont", "o-nas"))
            text = r.choice(("https://", "", "https://www.")) + domain + "/" + path
        return [_URL_LEADS.pick(r), _Gold(text, "url", text.lower(), "plain")]

    def _c_url_words(self, ad: _Ad) -> list[Segment]:
        """'site точка ру', 'site тчк com', 'site dot com', 'site(.)ru', 'www site ru'."""
        r = self.rng
        roll = r.random()
        if r.random() < 0.2:
            name, tld, spoken = r.choice(_CYR_DOMAINS), "рф", "рф"
            roll = roll * 0.4 if roll < 0.7 else roll
        else:
            name, tld = self._site_name(), _TLDS.pick(r)
            spoken = r.choice(_SPOKEN_ZONES.get(tld, (tld,)))
        if roll < 0.45:
            text = f"{name} {r.choice(('точка', 'точка', '(точка)', '[точка]', 'тчк'))} {spoken}"
        elif roll < 0.6:
            text = f"{name} dot {tld}"
        elif roll < 0.8:
            text = f"{name}{r.choice(('(.)', '[.]', '(dot)', '(точка)'))}{tld}"
        else:
            text = f"www {name} {tld}"
        lead = r.choice(("Сайт: ", "сайт ", "Наш сайт ", "Подробнее на сайте ", "Ищите нас: ", "🌐 ", "Сайт "))
        return [lead, _Gold(text, "url", f"{name}.{tld}".lower(), "url_words")]

    def _c_domain_space(self, ad: _Ad) -> list[Segment]:
        """A domain with a space before its zone: 'remont-kvartir ru', 'мастер . рф', 'santehnik .com'."""
        r = self.rng
        roll = r.random()
        if roll < 0.25:
            name, tld = r.choice((*_CYR_DOMAINS, *_CYR_WORDS)), "рф"
            zone = "рф"
        else:
            name = self._site_name() if roll < 0.75 else self._translit_handle().replace("_", "-")
            tld = _TLDS.pick(r)
            zone = r.choice(_SPOKEN_ZONES.get(tld, (tld,))) if r.random() < 0.3 else tld
        text = name + r.choice((" ", " ", " ", " . ", " .", ". ", "  ")) + zone
        lead = _URL_LEADS.pick(r) if r.random() < 0.7 else r.choice(("Заходите на ", "Ищите: ", "Каталог: ", ""))
        return [lead, _Gold(text, "url", f"{name}.{tld}".lower(), "domain_space")]
