"""Ad bodies by subcategory style: private sellers, shops, businesses, services, jobs, resumes, real estate."""

from __future__ import annotations

from collections.abc import Sequence

from core.lifecycle.synth.common import _Ad, _cap, _lower_first
from core.lifecycle.synth.names import _Names
from core.lifecycle.synth.vocab import (
    _ADVANTAGES,
    _BULLETS,
    _CATALOG_VARIANTS,
    _CLOSINGS,
    _CONDITIONS,
    _CONTENT,
    _CTAS,
    _DELIVERY,
    _EXCLAIM,
    _GREETINGS,
    _HEADINGS,
    _JOB_CONDITIONS,
    _JOB_INTROS,
    _JOB_POSITIONS,
    _JOB_REQUIREMENTS,
    _JOB_SALARY_WORDS,
    _NO_CONDITION_SUBCATEGORIES,
    _OPENERS,
    _REALTY_FACTS,
    _REASONS,
    _RESUME_LINES,
    _SERVICE_TOPICS,
)

_PLURALS_IN_A = frozenset(("окна", "яйца", "перепела", "вешала", "дрова"))


def _accusative(phrase: str) -> str:
    """Put the leading feminine words of a noun phrase into the accusative: 'детская стенка' -> 'детскую стенку'."""
    words = phrase.split(" ")
    previous_adjective: bool | None = None
    for i, word in enumerate(words):
        adjective = word.endswith(("ая", "яя"))
        noun = not adjective and word.endswith(("а", "я")) and not word.endswith(("ья", "мя", "ята"))
        if i == 0 and word in _PLURALS_IN_A:
            break
        if not (adjective or (noun and (previous_adjective is None or previous_adjective))):
            break
        if adjective:
            words[i] = word[:-2] + ("ую" if word.endswith("ая") else "юю")
        else:
            words[i] = word[:-1] + ("у" if word.endswith("а") else "ю")
        previous_adjective = adjective
    return " ".join(words)


_BODIES: dict[str, str] = {
    "private": "body_private",
    "car": "body_private",
    "shop": "body_shop",
    "business": "body_business",
    "service": "body_service",
    "job": "body_job",
    "resume": "body_resume",
    "realty": "body_realty",
}


_ACCUSATIVE: dict[str, str] = {
    _lower_first(thing): _accusative(_lower_first(thing)) for things, _ in _CONTENT.values() for thing in things
}


class _Bodies(_Names):
    """The ad bodies by style; each sets the ad's title (and bullet) and returns its lines."""

    # ---------------------------------------------------------------- bodies

    def _sentences(self, pool: Sequence[str], count: int) -> list[str]:
        """Up to count distinct phrases from a pool."""
        if count <= 0:
            return []
        return self.rng.sample(pool, min(count, len(pool)))

    def _group_lines(self, sentences: list[str], new_line_share: float) -> list[str]:
        """Join sentences with end punctuation into lines."""
        r = self.rng
        lines: list[str] = []
        current: list[str] = []
        for sentence in sentences:
            end = "" if sentence[-1:] in ".!?:" else r.choice((".", ".", ".", "!", ""))
            if current and r.random() < new_line_share:
                lines.append(" ".join(current))
                current = []
            current.append(sentence + end)
        if current:
            lines.append(" ".join(current))
        return lines

    def body_private(self, ad: _Ad) -> list[str]:
        """A private seller's ad: one to a few lines."""
        r = self.rng
        things, feats = _CONTENT[ad.subcategory]
        thing = r.choice(things)
        ad.title = thing + r.choice(("", "", "", "", " б/у", " новый", ", торг", " срочно", " недорого"))
        roll = r.random()
        size = 1 if roll < 0.3 else 2 if roll < 0.55 else r.randrange(3, 6) if roll < 0.88 else r.randrange(6, 10)
        if ad.style == "car":
            size = max(size, r.randrange(2, 7))
            ad.title = f"{thing}, {r.randrange(1998, 2021)}"
        sentences: list[str] = []
        start = r.random()
        if start < 0.65:
            opener, needs_accusative = _OPENERS.pick(r)
            lowered = _lower_first(thing)
            if needs_accusative:
                lowered = _ACCUSATIVE.get(lowered) or _accusative(lowered)
            elif opener.startswith("Прода") and lowered.split(" ")[0].endswith(("и", "ы", "ята", "ья")):
                opener = "Продаются"
            lead = f"{opener} {lowered}"
            if r.random() < 0.4 and ad.category != "Животные":
                lead += ", " + _lower_first(r.choice(_CONDITIONS))
            sentences.append(lead + r.choice(_EXCLAIM))
        elif start < 0.85 and ad.category != "Животные":
            sentences.append(r.choice(_CONDITIONS))
        if ad.category == "Животные" or ad.subcategory in _NO_CONDITION_SUBCATEGORIES:
            pool = [*feats, r.choice(_DELIVERY), r.choice(_CLOSINGS)]
        else:
            pool = [*feats, *r.sample(_CONDITIONS, 2), r.choice(_REASONS), r.choice(_DELIVERY), r.choice(_CLOSINGS)]
        sentences.extend(self._sentences(pool, size - len(sentences)))
        if not sentences:
            sentences.append(r.choice(feats))
        if r.random() < 0.12:
            return [" ".join(_lower_first(s).lower().rstrip(".!") for s in sentences)]
        return self._group_lines(sentences, 0.35 if size > 3 else 0.15)

    def _bullet_lines(self, items: Sequence[str], ad: _Ad) -> list[str]:
        """Items as bullet lines with the ad's bullet mark."""
        return [f"{ad.bullet} {item}" if ad.bullet else item for item in items]

    def body_shop(self, ad: _Ad) -> list[str]:
        """A shop or company selling goods: greeting, list, advantages, call to action."""
        r = self.rng
        things, feats = _CONTENT[ad.subcategory]
        thing = r.choice(things)
        ad.title = thing + r.choice(("", "", " в наличии", " опт и розница", " с доставкой", " новые", " б/у"))
        if r.random() < 0.35:
            return self.body_private(ad)
        ad.bullet = _BULLETS.pick(r)
        lines: list[str] = []
        if r.random() < 0.5:
            lines.append(r.choice(_GREETINGS))
        brand = self._brand()
        lines.append(
            r.choice(
                (f"Компания «{brand}» предлагает {_lower_first(thing)}.", f"В наличии {_lower_first(thing)}.",
                 f"{thing} — в наличии и под заказ.",
                 f"Магазин «{brand}»: {_lower_first(thing)} по выгодной цене.",
                 f"Продаем {_lower_first(thing)} от производителя.")
            )
        )  # fmt: skip
        if r.random() < 0.5:
            lines.append("")
        if r.random() < 0.4:
            lines.append(r.choice(("В наличии:", "Ассортимент:", "Также есть:", "ПРОДАЕМ:")))
            items = self._sentences(things, r.randrange(2, 7))
            if r.random() < 0.4:
                items = [f"{item} {r.choice(_CATALOG_VARIANTS)}" for item in items for _ in range(r.randrange(1, 4))]
            lines.extend(self._bullet_lines(items, ad))
        lines.append(r.choice(_HEADINGS))
        items = self._sentences(feats, r.randrange(1, 4)) + self._sentences(_ADVANTAGES, r.randrange(2, 6))
        lines.extend(self._bullet_lines(items, ad))
        if r.random() < 0.5:
            lines.append("")
        lines.append(r.choice(_CTAS))
        return lines

    def body_business(self, ad: _Ad) -> list[str]:
        """A business for sale: prose paragraphs and a list of what is included."""
        r = self.rng
        things, feats = _CONTENT[ad.subcategory]
        thing = r.choice(things)
        ad.title = thing
        ad.bullet = _BULLETS.pick(r)
        lines: list[str] = []
        if r.random() < 0.4:
            lines.append(r.choice(_GREETINGS))
        lines.append(f"{r.choice(('Продается', 'Продам', 'Предлагаем к покупке'))} {_lower_first(thing)}.")
        lines.extend(self._group_lines(self._sentences(feats, r.randrange(2, 6)), 0.5))
        if r.random() < 0.6:
            lines.append(r.choice(("В стоимость входит:", "Что получаете:", "Передается:", "Оборудование:")))
            lines.extend(self._bullet_lines(self._sentences(_ADVANTAGES, r.randrange(2, 6)), ad))
        lines.append(r.choice((*_CTAS, "Рассмотрю разумные предложения.", "Все подробности при встрече.")))
        return lines

    def body_service(self, ad: _Ad) -> list[str]:
        """A service ad: short note or long list of works with emoji bullets."""
        r = self.rng
        generic = ad.subcategory == "Предложение услуг"
        topic_key = r.choice(tuple(_SERVICE_TOPICS)) if generic else ad.subcategory
        titles, works = _SERVICE_TOPICS[topic_key]
        title = r.choice(titles)
        ad.title = title + r.choice(("", "", "", " недорого", " быстро", " качественно", " в вашем городе"))
        if r.random() < 0.25:
            sentences = [title, *self._sentences(works, r.randrange(1, 3)), r.choice(_ADVANTAGES)]
            return self._group_lines(sentences, 0.3)
        ad.bullet = _BULLETS.pick(r)
        lines: list[str] = []
        if r.random() < 0.5:
            lines.append(r.choice(_GREETINGS))
        lines.append(
            r.choice(
                (f"{title}. Опыт работы больше {r.randrange(3, 20)} лет.",
                 f"Выполним: {_lower_first(title)}.",
                 f"{title} — быстро и качественно.", f"Команда «{self._brand()}»: {_lower_first(title)}.",
                 f"Предлагаю услуги: {_lower_first(title)}.")
            )
        )  # fmt: skip
        lines.append(r.choice(("Виды работ:", "Мы предлагаем:", "Услуги:", "Что делаем:", "Выполняем:")))
        lines.extend(self._bullet_lines(self._sentences(works, r.randrange(3, 9)), ad))
        if r.random() < 0.7:
            if r.random() < 0.5:
                lines.append("")
            lines.append(r.choice(_HEADINGS))
            lines.extend(self._bullet_lines(self._sentences(_ADVANTAGES, r.randrange(2, 6)), ad))
        lines.append(r.choice(_CTAS))
        return lines

    def body_job(self, ad: _Ad) -> list[str]:
        """A vacancy: duties, requirements, conditions."""
        r = self.rng
        position, duties = r.choice(_JOB_POSITIONS)
        ad.title = position + r.choice(("", "", "", " (без опыта)", ", вахта", " в магазин", " на склад"))
        intro = r.choice(_JOB_INTROS).format(brand=self._brand(), pos=_lower_first(position))
        intro = _cap(intro)
        if r.random() < 0.3:
            parts = [intro, _cap(r.choice(duties)), _cap(r.choice(_JOB_CONDITIONS)), r.choice(_JOB_SALARY_WORDS)]
            return self._group_lines(parts, 0.3)
        ad.bullet = r.choice(("-", "•", "✔️", "—", "▪️", ""))
        lines = [intro, ""]
        for heading, pool, low, high in (
            ("Обязанности:", duties, 2, 3),
            ("Требования:", _JOB_REQUIREMENTS, 2, 5),
            ("Условия:", _JOB_CONDITIONS, 2, 6),
        ):
            lines.append(heading)
            lines.extend(self._bullet_lines(self._sentences(pool, r.randrange(low, high + 1)), ad))
        if r.random() < 0.5:
            lines.append(r.choice(_JOB_SALARY_WORDS))
        lines.append(
            r.choice(("Ждем ваших откликов!", "Звоните!", "Откликайтесь на Авито.", "Приходите на собеседование!"))
        )
        return lines

    def body_resume(self, ad: _Ad) -> list[str]:
        """A job seeker's short resume."""
        r = self.rng
        position, duties = r.choice(_JOB_POSITIONS)
        ad.title = r.choice((position, f"Ищу работу: {_lower_first(position)}", f"{position}, подработка"))
        sentences = [f"Ищу работу — {_lower_first(position)}", *self._sentences(_RESUME_LINES, r.randrange(1, 5))]
        if r.random() < 0.5:
            sentences.insert(1, "Умею: " + ", ".join(self._sentences(duties, 2)))
        return self._group_lines(sentences, 0.4)

    def body_realty(self, ad: _Ad) -> list[str]:
        """Real estate: area, floor, amenities; agencies write longer lists."""
        r = self.rng
        sub = ad.subcategory
        facts = _REALTY_FACTS[sub]
        rent = r.random() < 0.4
        if sub == "Квартиры":
            rooms = r.choice((1, 1, 2, 2, 3, 4))
            area = round(18 + rooms * 16 + r.random() * 20, 1)
            floors = r.choice((5, 9, 10, 12, 14, 17, 25))
            floor = r.randrange(1, floors + 1)
            shown = f"{area:g}".replace(".", ",")
            ad.title = f"{rooms}-к квартира, {shown} м², {floor}/{floors} эт."
            verb = "Сдается" if rent else "Продается"
            first = r.choice(
                (f"{verb} {rooms}-комнатная квартира, {shown} кв.м.", f"{verb} {rooms}-к. квартира.",
                 f"{verb} уютная квартира в {r.choice(('центре', 'спальном районе', 'новом доме', 'тихом районе'))}.")
            )  # fmt: skip
            detail = f"{floor} этаж {floors}-этажного дома, кухня {r.randrange(6, 16)} м²."
        elif sub == "Комнаты":
            area = r.randrange(9, 25)
            ad.title = f"Комната {area} м² в {r.randrange(2, 5)}-к, {r.randrange(1, 9)}/9 эт."
            first = f"{'Сдам' if rent else 'Продам'} комнату {area} кв.м."
            detail = r.choice(("В квартире ещё две комнаты.", "Комната в общежитии секционного типа."))
        elif sub == "Дома, дачи, коттеджи":
            area, land = r.randrange(30, 300), r.randrange(4, 30)
            ad.title = f"{r.choice(('Дом', 'Дача', 'Коттедж'))} {area} м² на участке {land} сот."
            first = f"Продается {r.choice(('дом', 'дача', 'коттедж', 'дом с участком'))}."
            detail = f"Площадь дома {area} кв.м, участок {land} соток."
        elif sub == "Земельные участки":
            land = r.randrange(4, 50)
            ad.title = f"Участок {land} сот. ({r.choice(('ИЖС', 'СНТ, ДНП', 'промназначения'))})"
            first = f"Продам земельный участок {land} соток."
            detail = r.choice(("Категория земель — населенных пунктов.", "Разрешенное использование — ИЖС."))
        elif sub == "Гаражи и машиноместа":
            area = r.randrange(12, 40)
            ad.title = f"{r.choice(('Гараж', 'Машиноместо'))}, {area} м²"
            first = f"{'Сдам' if rent else 'Продам'} {r.choice(('гараж', 'кирпичный гараж', 'машиноместо'))}."
            detail = f"Площадь {area} кв.м."
        else:
            area = r.randrange(20, 900)
            ad.title = (
                f"{r.choice(('Помещение свободного назначения', 'Офис', 'Торговое помещение', 'Склад'))}, {area} м²"
            )
            first = f"{'Сдается' if rent else 'Продается'} помещение {area} м²."
            detail = r.choice(("Потолки высокие.", "Ремонт под офис.", "Есть витринные окна."))
        if r.random() < 0.3:
            ad.bullet = _BULLETS.pick(r)
            lines = [first, detail, r.choice(("Преимущества:", "Особенности:", "В квартире:", "Плюсы:"))]
            lines.extend(self._bullet_lines([f.rstrip(".") for f in self._sentences(facts, r.randrange(3, 7))], ad))
            lines.append(
                r.choice(
                    ("Звоните, покажем в удобное время!", "Ждем вас на просмотр.", "Агентство, без скрытых комиссий.")
                )
            )
            return lines
        sentences = [
            first.rstrip("."),
            detail.rstrip("."),
            *(f.rstrip(".") for f in self._sentences(facts, r.randrange(1, 5))),
        ]
        return self._group_lines(sentences, 0.3)
