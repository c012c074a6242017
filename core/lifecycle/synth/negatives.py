"""Hard negatives (`_n_*`, one per negative kind), clean look-alikes of contacts and call-outs."""

from __future__ import annotations

from core.lifecycle.synth.common import _BREAK, _Ad, _cap, _lower_first, _money
from core.lifecycle.synth.names import _Names
from core.lifecycle.synth.phones import _FULLWIDTH, _INVISIBLE, _KEYCAP
from core.lifecycle.synth.vocab import (
    _ALNUM,
    _AVITO_CHAT,
    _CALLOUTS,
    _EMAIL_LEADS,
    _EMBED_TEMPLATES,
    _ENGLISH_PHRASES,
    _GLUED_PHRASES,
    _HASHTAG_WORDS,
    _MESSENGER_NAMES,
    _MODEL_NUMBERS,
    _NAMED_PIECE_NEGATIVES,
    _NAMED_PIECE_SERIES,
    _NAMED_PIECE_TAILS,
    _NEGATIVE_PREFERENCE,
    _NO_CONTACT_ENDINGS,
    _NUMBER_WORD_POOLS,
    _OEM_BARE_LEADS,
    _OEM_LEADS,
    _OEM_PREFIXES,
    _PHONE_LEADS,
    _PHONE_TAILS,
    _PLAIN_KIND,
    _PLATFORM_CODE_PRODUCTS,
    _PLATFORM_CODES,
    _PROVIDER_FRAMES,
    _PROVIDERS,
    _SITE_BRAND_FRAMES,
    _SITE_BRANDS,
    _SLASH_PHRASES,
    _SPLIT_NEGATIVES,
    _SPOKEN_EMAIL_PHRASES,
    _STREETS,
    _TWINS,
    _URL_LEADS,
    _VIN_CHARS,
    _VIN_WMI,
    _WA_LEADS,
)

NEGATIVE_KINDS: tuple[str, ...] = (
    "price",
    "salary",
    "mileage",
    "vin",
    "article",
    "imei",
    "inn",
    "ogrn",
    "cadastral",
    "size",
    "dimensions",
    "year",
    "date",
    "hours",
    "address",
    "at_price",
    "hashtag",
    "avito_chat",
    "messenger_name",
    "model_number",
    # Look-alikes shaped like the newer contacts (also the clean counterpart of a contact slot).
    "oem_number",  # номер запчасти 8200 768 913, артикул 79161234567
    "barcode",  # штрихкод 4607012345678 (EAN-13)
    "price_list",  # 1 шт — 350 р, 10 шт — 3 000 р
    "house_parking",  # д. 15, кв. 48, м/м 112, 2,5х5,3 м
    "platform_code",  # насос TG-450, микрофон VK-2100
    "provider",  # интернет Дом.ру, студия beauty-nails (no zone)
    "number_words",  # двухкомнатная, три комнаты, два года
    "english_words",  # one size, коллекция Forever 21
    "glued_number",  # 2-х комнатная, 5ти этажный, 2шт по 100р
    "invisible_number",  # a price or a year with U+200B/U+00AD between digits
    "split_numbers",  # первый взнос 300 000 ... дальше 25 000 в месяц
    "styled_digits",  # 1️⃣ Доставка 2️⃣ Сборка, ＳＡＬＥ －５０％
    "city_like",  # размеры 44-46-48, офис 3-12, рост 92-98-104
    "spoken_email",  # собака породы лайка, торговая точка
    "slash_words",  # б/у, S/M/L, тг/вотсап через Авито
    "size_key",  # размерная сетка S = 44, M = 46, L = 48; a = 5 см, b = 7 см
    "named_pieces",  # логины по умолчанию: первый — admin, второй — user; годы: первый — 2019, второй — 2021
)


# Item names for the rows of a price table.
_TABLE_ITEMS = ("Модель", "Комплект", "Стеллаж", "Мотор", "Насос", "Кресло", "Набор", "Фильтр", "Лампа", "Короб")


class _Negatives(_Names):
    """The hard-negative builders, the clean twins of contact slots and the call-outs."""

    # ---------------------------------------------------------------- hard negatives

    def _n_price(self, ad: _Ad) -> str:
        """A price: '12 500 руб', '15000₽', 'цена 8900'."""
        r = self.rng
        value = int(ad.price) if ad.price == ad.price and ad.price > 0 else r.randrange(5, 500) * 100
        money = _money(value, r)
        return r.choice(
            (f"Цена {money} руб.", f"{money} ₽", f"{money}₽", f"Цена: {money} р.", f"Отдам за {money}",
             f"Стоимость {money} рублей", f"цена {money}", f"{money} руб/шт", f"Всего {money} р",
             f"Прошу {money} руб")
        )  # fmt: skip

    def _n_salary(self, ad: _Ad) -> str:
        """A salary or salary range."""
        r = self.rng
        low = r.randrange(4, 17) * 5000
        high = low + r.randrange(2, 13) * 5000
        lo, hi = _money(low, r), _money(high, r)
        return r.choice(
            (f"от {lo} до {hi} руб", f"ЗП {low}-{high}", f"Зарплата от {lo} ₽ на руки",
             f"оплата {r.randrange(12, 45) * 100} руб/смена", f"доход до {hi} в месяц",
             f"Оклад {lo} + премии",
             f"З/п {lo} - {hi} руб.")
        )  # fmt: skip

    def _n_mileage(self, ad: _Ad) -> str:
        """A car's mileage."""
        r = self.rng
        km = r.randrange(5, 350) * 1000 + r.choice((0, 0, r.randrange(1000)))
        return r.choice(
            (f"пробег {_money(km, r)} км", f"Пробег: {km // 1000}тыс.км", f"пробег {km}",
             f"оригинальный пробег {km // 1000} тыс", f"Пробег {_money(km, r)} км, по ПТС")
        )  # fmt: skip

    def _n_vin(self, ad: _Ad) -> str:
        """A 17-character VIN."""
        r = self.rng
        vin = r.choice(_VIN_WMI) + "".join(r.choice(_VIN_CHARS) for _ in range(8)) + self._digits(6)
        return r.choice((f"VIN {vin}", f"VIN: {vin}", f"вин {vin}", f"VIN-код {vin}"))

    def _n_article(self, ad: _Ad) -> str:
        """A part or article number (OEM, catalogue number)."""
        r = self.rng
        alnum = "".join(r.choice(_ALNUM) for _ in range(5))
        return r.choice(
            (f"арт. {self._digits(7)}", f"Артикул: {self._digits(4)}-{self._digits(3)}",
             f"OEM {self._digits(5)}-{alnum}", f"кат. номер {r.randrange(1, 9)}K{r.randrange(10)} "
             f"{self._digits(3)} {self._digits(3)} {r.choice('ABCDE')}",
             f"номер детали {alnum}{self._digits(4)}",
             f"OEM: 8{self._digits(9)}", f"Парт-номер A{self._digits(10)}", f"Код товара: {self._digits(6)}")
        )  # fmt: skip

    def _n_imei(self, ad: _Ad) -> str:
        """A 15-digit IMEI."""
        r = self.rng
        imei = r.choice(("35", "86", "35", "01")) + f"{r.randrange(10**13):013d}"
        return r.choice((f"IMEI {imei}", f"IMEI: {imei}", f"имей {imei}", f"imei1 {imei}"))

    def _n_inn(self, ad: _Ad) -> str:
        """A 10 or 12 digit INN."""
        r = self.rng
        return f"ИНН {self._digits(r.choice((10, 12)))}"

    def _n_ogrn(self, ad: _Ad) -> str:
        """A 13 digit OGRN or 15 digit OGRNIP."""
        r = self.rng
        return r.choice((f"ОГРН {self._digits(13)}", f"ОГРНИП {self._digits(15)}", f"ОГРН: {self._digits(13)}"))

    def _n_cadastral(self, ad: _Ad) -> str:
        """A cadastral number like 50:21:0110114:1234."""
        r = self.rng
        number = (
            f"{r.randrange(1, 92):02d}:{r.randrange(1, 60):02d}:{r.randrange(100000, 9999999):07d}:"
            f"{r.randrange(1, 9999)}"
        )
        return r.choice((f"кадастровый номер {number}", f"КН {number}", f"Кад. номер: {number}"))

    def _n_size(self, ad: _Ad) -> str:
        """A clothes or shoe size, or a height."""
        r = self.rng
        size = r.randrange(38, 58, 2)
        return r.choice(
            (f"р-р {size}-{size + 2}", f"размер {size}",
             f"размер {r.choice(('S', 'M', 'L', 'XL'))} ({size}-{size + 2})",
             f"рост {r.randrange(150, 195)} см", f"обувь {r.randrange(35, 46)} размер",
             f"на рост {r.randrange(80, 160, 6)}-{r.randrange(86, 166, 6)}")
        )  # fmt: skip

    def _n_dimensions(self, ad: _Ad) -> str:
        """Dimensions like 200х90х45 см."""
        r = self.rng
        a, b, c = r.randrange(40, 240, 5), r.randrange(30, 120, 5), r.randrange(20, 220, 5)
        return r.choice(
            (f"{a}х{b}х{c} см", f"Размеры: {a}*{b}*{c}", f"ШхГхВ {a}х{b}х{c} см",
             f"длина {r.randrange(1, 7)},5 м",
             f"{a * 10}x{b * 10} мм", f"Габариты {a}x{b}x{c}")
        )  # fmt: skip

    def _n_year(self, ad: _Ad) -> str:
        """A year of make or purchase."""
        r = self.rng
        year = r.randrange(1985, 2021)
        return r.choice(
            (f"{year} г.в.", f"год выпуска {year}", f"{year} года", f"куплен в {year} году", f"выпуск {year}")
        )

    def _n_date(self, ad: _Ad) -> str:
        """A date like 'с 01.09.2020'."""
        r = self.rng
        day, month, year = r.randrange(1, 29), r.randrange(1, 13), r.choice((2019, 2020, 2020))
        return r.choice(
            (f"с {day:02d}.{month:02d}.{year}", f"до {day:02d}.{month:02d}.{year}",
             f"дата рождения {day:02d}.{month:02d}.{year % 100:02d}", f"заезд {day:02d}.{month:02d}",
             f"мероприятие {day:02d}.{month:02d}.{year} в {r.randrange(10, 21)}:00")
        )  # fmt: skip

    def _n_size_key(self, ad: _Ad) -> str:
        """Signs given values, like a seller's key but not one: size charts, a drawing's sides, grades."""
        r = self.rng
        size = r.randrange(40, 50, 2)
        return r.choice(
            (f"Сетка: S = {size}, M = {size + 2}, L = {size + 4}, XL = {size + 6}. Есть M и L.",
             f"На схеме: a = {r.randrange(2, 9)} см, b = {r.randrange(2, 9)} см, c = {r.randrange(2, 9)} см",
             f"Оценки: A = 5, B = 4, C = 3. Сдано на A {r.randrange(2, 9)} раз",
             f"Комплектация: А = 1 шт, Б = 2 шт, В = 3 шт — всё в коробке {r.randrange(100, 999)}",
             f"Режимы: 1 = эко, 2 = норма, 3 = турбо; мощность {r.randrange(1, 3)} {r.randrange(100, 999)} Вт")
        )  # fmt: skip

    def _n_hours(self, ad: _Ad) -> str:
        """Opening hours like 'пн-пт 9:00-18:00'."""
        r = self.rng
        start, end = r.randrange(7, 11), r.randrange(17, 22)
        return r.choice(
            (f"пн-пт {start}:00-{end}:00", f"Режим работы: ежедневно с {start}:00 до {end}:00",
             f"сб-вс {start + 1}-{end - 3}", "круглосуточно 24/7", f"график 2/2 с {start}:00 до {end}:00",
             f"прием с {start} до {end}")
        )  # fmt: skip

    def _n_address(self, ad: _Ad) -> str:
        """A street address with house and flat numbers."""
        r = self.rng
        street = r.choice(_STREETS)
        house, flat = r.randrange(1, 150), r.randrange(1, 300)
        return r.choice(
            (f"ул. {street}, д. {house}, кв. {flat}", f"пр-т {street} {house}/{r.randrange(1, 9)}",
             f"ТЦ «{self._brand()}», {r.randrange(1, 4)} этаж, пав. {r.randrange(100, 400)}",
             f"мкр. Северный, {house}к{r.randrange(1, 5)}", f"г. {ad.city}, ул. {street}, {house}")
        )  # fmt: skip

    def _n_at_price(self, ad: _Ad) -> str:
        """'@' used as a price sign: '@ 500 р/шт'."""
        r = self.rng
        price = r.randrange(5, 200) * 10
        return r.choice((f"@ {price} р/шт", f"@{price}р", f"Оптом @ {price} руб", f"{r.randrange(2, 50)} шт @ {price}"))

    def _n_hashtag(self, ad: _Ad) -> str:
        """One to three hashtags."""
        r = self.rng
        words = r.sample(_HASHTAG_WORDS, r.randrange(1, 4))
        return " ".join("#" + word for word in words)

    def _n_avito_chat(self, ad: _Ad) -> str:
        """An invitation to write through the marketplace's chat."""
        return self.rng.choice(_AVITO_CHAT)

    def _n_messenger_name(self, ad: _Ad) -> str:
        """A messenger named without any contact ('есть WhatsApp')."""
        return self.rng.choice(_MESSENGER_NAMES)

    def _n_model_number(self, ad: _Ad) -> str:
        """A model number full of digits ('Antminer S19j Pro 104Th')."""
        r = self.rng
        roll = r.random()
        if roll < 0.5:
            return r.choice(_MODEL_NUMBERS)
        if roll < 0.75:
            # A Latin code followed by digit groups that add up to a mobile-shaped run: "RB2140 901 50-22 150",
            # "PC9 00501-0101" (colour, lens and bridge sizes, a style number).
            letters = "".join(r.choice("ABCDEFGHKLMNPRSTVXZ") for _ in range(r.randrange(1, 4)))
            code = letters + self._digits(r.randrange(1, 5))
            tail = f"9{r.randrange(100):02d}{r.randrange(10**7):07d}"
            shaped = r.choice(
                (f"{tail[:3]} {tail[3:5]}-{tail[5:7]} {tail[7:]}", f"{tail[0]} {tail[1:6]}-{tail[6:]}",
                 f"{tail[:3]}-{tail[3:6]}-{tail[6:]}", f"{tail[:3]} {tail[3:6]} {tail[6:]}")
            )  # fmt: skip
            return r.choice(("", "", "модель ", "на бирке ", "маркировка ", "арт. ")) + f"{code} {shaped}"
        return f"модель {''.join(r.choice(_ALNUM) for _ in range(2))}-{self._digits(4)}{r.choice(_ALNUM)}"

    def _n_oem_number(self, ad: _Ad) -> str:
        """A part number after 'номер'/'артикул' that looks like a phone: '8200 768 913', '79161234567'."""
        r = self.rng
        roll = r.random()
        leads = _OEM_LEADS if r.random() < 0.7 else _OEM_BARE_LEADS
        if roll < 0.35:
            number = r.choice(_OEM_PREFIXES) + f"{r.randrange(10**6):06d}"
            text = r.choice(
                (number, f"{number[:4]} {number[4:7]} {number[7:]}", f"{number[:4]}-{number[4:7]}-{number[7:]}")
            )
        elif roll < 0.6:
            number = r.choice("78") + "9" + f"{r.randrange(10**9):09d}"
            text = number if r.random() < 0.6 else f"{number[0]} {number[1:4]} {number[4:7]} {number[7:]}"
            leads = _OEM_LEADS
        elif roll < 0.8:
            number = (
                f"{r.randrange(10, 100)} {r.randrange(10, 100)} {r.randrange(10)} {self._digits(3)} {self._digits(3)}"
            )
            text = number
        else:
            text = r.choice(
                (f"{self._digits(5)}-{''.join(r.choice(_ALNUM) for _ in range(5))}",
                 f"{r.randrange(1, 9)}K{r.randrange(10)} {self._digits(3)} {self._digits(3)} {r.choice('ABCDE')}")
            )  # fmt: skip
        return r.choice(leads) + text

    def _n_barcode(self, ad: _Ad) -> str:
        """An EAN-13 barcode with a Russian prefix and a valid check digit."""
        r = self.rng
        body = f"{r.randrange(460, 470)}{r.randrange(10**9):09d}"
        check = (10 - sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(body)) % 10) % 10
        code = body + str(check)
        shown = code if r.random() < 0.75 else f"{code[0]} {code[1:7]} {code[7:]}"
        return r.choice(("штрихкод ", "Штрих-код: ", "EAN ", "EAN-13: ", "штрих-код на упаковке ")) + shown

    def _n_price_list(self, ad: _Ad) -> str:
        """Several prices in one line, or a small table with '|' cells (a business ad's price list)."""
        r = self.rng
        if r.random() < 0.2:
            return self._price_table()
        a, b, c = sorted(r.randrange(3, 300) * 10 for _ in range(3))
        if ad.style == "service" and r.random() < 0.6:
            return r.choice(
                (f"выезд {a}, диагностика {b}, работа от {_money(c * 10, r)}",
                 f"Цены: от {a} до {_money(c * 10, r)} руб, выезд {b}", f"Прайс: {a} / {b} / {c} руб",
                 f"первичная консультация {a}, полный день {_money(c * 10, r)}")
            )  # fmt: skip
        return r.choice(
            (f"1 шт — {a} р, 10 шт — {_money(b * 10, r)} р, 100 шт — {_money(c * 100, r)} р",
             f"Прайс: S — {a}, M — {b}, L — {c}", f"от 5 шт — {b} руб/шт, от 20 шт — {a} руб/шт",
             f"Цены: {a}/{b}/{c} руб", f"Опт от 10 шт — {a}, розница {b}, под заказ {c}",
             f"за штуку {b} р, комплект {_money(c * 10, r)} р")
        )  # fmt: skip

    def _price_table(self) -> str:
        """'Модель | Цена | Наличие' and 3-6 rows of codes, sums with thousands spaces and counts, one per line."""
        r = self.rng
        header = r.choice(
            (
                "Модель | Цена | Наличие",
                "Артикул | Наименование | Цена",
                "Позиция | Опт | Розница",
                "Точка | Аренда | Выручка",
            )
        )
        rows = []
        for number in range(1, r.randrange(4, 8)):
            code = f"{r.choice('ABCFKMSTXZ')}{r.choice('ABCFKMSTXZ')}-{r.randrange(100, 99999)}"
            first = r.choice((code, str(number), f"{r.choice(_TABLE_ITEMS)} {r.randrange(2, 900)}"))
            low = r.randrange(5, 3000) * 10
            middle = r.choice((f"{_money(low, r)} ₽", str(r.randrange(1, 60)), f"{r.randrange(2, 120)} шт"))
            rows.append(f"{first} | {middle} | {_money(low * r.randrange(2, 40), r)}")
        return "\n".join([header, *rows])

    def _n_house_parking(self, ad: _Ad) -> str:
        """House, flat, parking place and dimensions together: a phone's worth of digits."""
        r = self.rng
        house, flat, place = r.randrange(1, 150), r.randrange(1, 400), r.randrange(1, 300)
        a, b, c, d = r.randrange(2, 4), r.randrange(1, 10), r.randrange(4, 7), r.randrange(1, 10)
        return r.choice(
            (f"Дом {house}, кв. {flat}, машиноместо {place}, размер {a},{b}х{c},{d} м",
             f"д. {house} кв. {flat} м/м {place} ({a} на {c})",
             f"корпус {r.randrange(1, 6)}, кв. {flat}, парковка № {place}, кладовка {a}х{c}",
             f"ул. {r.choice(_STREETS)} {house}-{flat}, место {place}, {a},{b}х{c},{d}",
             f"дом {house}, подъезд {r.randrange(1, 9)}, этаж {r.randrange(1, 17)}, кв. {flat}, м/м {place}")
        )  # fmt: skip

    def _n_platform_code(self, ad: _Ad) -> str:
        """A model code whose letters look like a platform: 'Насос TG-450', 'микрофон VK-2100'."""
        r = self.rng
        code = r.choice(_PLATFORM_CODES)
        number = r.choice((2, 5, 12, 45, 50, 125, 160, 300, 450, 900, 2100, 2500, 3000, r.randrange(10, 5000)))
        product = r.choice(_PLATFORM_CODE_PRODUCTS)
        return r.choice(
            (f"{product} {code}-{number}", f"модель {code}-{number}", f"{product} {code}{number}",
             f"арт. {code}-{number}", f"{product} серии {code}, модель {code}-{number}")
        )  # fmt: skip

    def _n_provider(self, ad: _Ad) -> str:
        """A provider or brand with a domain-like name: 'Интернет Дом.ру', 'студия beauty-nails' (no zone), or a brand's
        own site named in passing ('Nike, покупал на nike.com')."""
        r = self.rng
        if r.random() < 0.2:
            brand = r.choice(_SITE_BRANDS)
            site = brand.lower() + r.choice((".com", ".ru", ".com", ".de"))
            return r.choice(_SITE_BRAND_FRAMES).format(brand=brand, site=site)
        if r.random() < 0.55:
            return r.choice(_PROVIDERS)
        name = self._site_name() if r.random() < 0.6 else self._translit_handle().replace("_", "-")
        return r.choice(_PROVIDER_FRAMES).format(name)

    def _n_number_words(self, ad: _Ad) -> str:
        """Number words in clean sentences: 'двухкомнатная, три комнаты, два года'."""
        r = self.rng
        return _cap(", ".join(r.sample(_NUMBER_WORD_POOLS[ad.style], r.choice((2, 3, 3, 4, 5)))))

    def _n_english_words(self, ad: _Ad) -> str:
        """English number words that are no phone: 'размер One Size', 'коллекция Forever 21'."""
        r = self.rng
        return ", ".join(r.sample(_ENGLISH_PHRASES, r.choice((2, 2, 3, 4))))

    def _n_glued_number(self, ad: _Ad) -> str:
        """Digits glued to words: '2-х комнатная', '5ти этажный дом', '3шт по 500р'."""
        r = self.rng
        return ", ".join(r.sample(_GLUED_PHRASES, r.choice((3, 4, 4, 5))))

    def _n_invisible_number(self, ad: _Ad) -> str:
        """Copy-paste junk: invisible characters inside a price, a year, a mileage or a word."""
        r = self.rng
        mark = r.choice(_INVISIBLE)

        def hidden(number: int) -> str:
            digits = str(number)
            cut = r.randrange(1, len(digits))
            return digits[:cut] + mark + digits[cut:]

        value = int(ad.price) if ad.price == ad.price and ad.price >= 100 else r.randrange(10, 500) * 100
        options = (
            f"Цена {hidden(value)} руб", f"{hidden(r.randrange(1995, 2021))} г.в.",
            f"пробег {hidden(r.randrange(20, 300) * 1000)} км", f"куплен в {hidden(r.randrange(2010, 2021))} году",
            f"пере{mark}купщикам не беспокоить", f"площадь {hidden(r.randrange(18, 200))} м²",
            f"без{mark}торга", f"{hidden(r.randrange(10, 99) * 10)} руб за штуку", f"скидка {hidden(r.randrange(10, 60))}%",
        )  # fmt: skip
        return _cap(", ".join(r.sample(options, r.choice((2, 2, 3)))))

    def _n_split_numbers(self, ad: _Ad) -> str:
        """Numbers spread over the ad with the same connecting words as a split phone."""
        r = self.rng
        pieces = r.choice(_SPLIT_NEGATIVES)
        values = {
            "a": r.randrange(50, 900), "b": r.randrange(5, 90), "y": r.randrange(2021, 2026),
            "n": r.randrange(2, 5), "p": _money(r.randrange(5, 400) * 100, r), "q": _money(r.randrange(5, 400) * 100, r),
            "k": r.randrange(2, 25), "d": f"{r.randrange(1, 29):02d}", "m": f"{r.randrange(1, 13):02d}",
            "d2": f"{r.randrange(1, 29):02d}", "m2": f"{r.randrange(1, 13):02d}",
        }  # fmt: skip
        return _BREAK.join(piece.format(**values) for piece in pieces)

    def _n_styled_digits(self, ad: _Ad) -> str:
        """Keycap or full-width digits in a list or a banner."""
        r = self.rng
        number = str(r.randrange(5, 70))
        keycaps = "".join(d + _KEYCAP for d in number)
        wide = "".join(_FULLWIDTH[d] for d in number)
        price = "".join(_FULLWIDTH[d] for d in str(r.randrange(5, 300) * 100))
        date = (
            "".join(_FULLWIDTH[d] for d in f"{r.randrange(1, 29):02d}")
            + "．"
            + "".join(_FULLWIDTH[d] for d in f"{r.randrange(1, 13):02d}")
        )
        steps = r.sample(
            ("Доставка", "Сборка", "Гарантия", "Замер", "Монтаж", "Скидки", "Рассрочка"), r.randrange(3, 6)
        )
        listed = " ".join(f"{i}{_KEYCAP} {step}" for i, step in enumerate(steps, start=1))
        options = (
            listed, f"Скидка {keycaps}%", "🔟 лет на рынке", f"ＳＡＬＥ －{wide}％ до {date}",
            f"Акция {_FULLWIDTH['2']}+{_FULLWIDTH['1']}", f"Размер {wide}", f"Осталось {keycaps} шт",
            f"{keycaps} лет опыта", f"Цена {price} ₽", f"Цена {keycaps}0{_KEYCAP}0{_KEYCAP} руб",
        )  # fmt: skip
        return ", ".join(r.sample(options, r.choice((1, 2, 2))))

    def _n_city_like(self, ad: _Ad) -> str:
        """2-2-2 shapes that are no city number: sizes, rooms, hours, house-flat."""
        r = self.rng
        size = r.randrange(40, 56, 2)
        height = r.randrange(80, 140, 6)
        return r.choice(
            (f"размеры {size}-{size + 2}-{size + 4}", f"рост {height}-{height + 6}-{height + 12}",
             f"офис {r.randrange(1, 9)}-{r.randrange(10, 40)}", f"каб. {r.randrange(1, 6)}-{r.randrange(10, 30)}",
             f"Размер {r.randrange(100, 200)}-{r.randrange(40, 90)}-{r.randrange(40, 90)} см",
             f"приём {r.randrange(8, 11)}-{r.randrange(12, 14)}, {r.randrange(14, 16)}-{r.randrange(17, 20)}",
             f"пн-пт {r.randrange(8, 11)}-00 — {r.randrange(17, 21)}-00",
             f"ул. {r.choice(_STREETS)}, {r.randrange(1, 99)}-{r.randrange(1, 99)}")
        )  # fmt: skip

    def _n_spoken_email(self, ad: _Ad) -> str:
        """'собака' and 'точка' in clean sentences."""
        r = self.rng
        return _cap(", ".join(r.sample(_SPOKEN_EMAIL_PHRASES, r.choice((1, 2, 2)))))

    def _n_slash_words(self, ad: _Ad) -> str:
        """Slashes that are no 'platform/handle': 'б/у', 'S/M/L', 'тг/вотсап через Авито'."""
        r = self.rng
        return _cap(", ".join(r.sample(_SLASH_PHRASES, r.choice((1, 2, 2)))))

    def _n_named_pieces(self, ad: _Ad) -> str:
        """Pieces named like a handle's that make none: default logins, a model or code in parts, years, sizes."""
        r = self.rng
        year = r.randrange(2005, 2022)
        values = {
            "d4": str(r.randrange(1000, 10000)), "series": r.choice(_NAMED_PIECE_SERIES),
            "size": str(r.randrange(10, 9000)), "tail": r.choice(_NAMED_PIECE_TAILS), "y1": year,
            "y2": year + r.randrange(1, 4), "a": r.randrange(20, 90), "b": r.randrange(20, 90), "c": r.randrange(20, 90),
        }  # fmt: skip
        return r.choice(_NAMED_PIECE_NEGATIVES).format(**values)

    def twin_kind(self, shape: str, category: str) -> str:
        """The look-alike kind that stands in for a contact of the given disguise in a clean slot.

        Among the kinds of that shape, those natural for the category are preferred.
        """
        r = self.rng
        if shape == "plain":
            shape = "plain_" + _PLAIN_KIND.pick(r)
        options = _TWINS[shape]
        natural = [kind for kind in options if kind in _NEGATIVE_PREFERENCE[category]]
        return r.choice(natural if natural and r.random() < 0.7 else options)

    def pick_negative_kinds(self, category: str, count: int) -> list[str]:
        """Distinct hard-negative kinds, mostly those natural for the category."""
        r = self.rng
        preferred = _NEGATIVE_PREFERENCE[category]
        kinds: list[str] = []
        for _ in range(count * 3):
            kind = r.choice(preferred) if r.random() < 0.85 else r.choice(NEGATIVE_KINDS)
            if kind not in kinds:
                kinds.append(kind)
            if len(kinds) == count:
                break
        return kinds

    def callout(self) -> str:
        """A contact-intent sentence without a contact, built from the same lead-ins, names and frames."""
        r = self.rng
        roll = r.random()
        text = r.choice(_CALLOUTS)
        if roll >= 0.4:
            pool = (
                _PHONE_LEADS if roll < 0.7 else _WA_LEADS if roll < 0.82 else _EMAIL_LEADS if roll < 0.9 else _URL_LEADS
            )
            lead = pool.pick(r).strip().rstrip(":").strip()
            if lead:
                text = f"{lead} {r.choice(_NO_CONTACT_ENDINGS)}"
        roll = r.random()
        if roll < 0.25:
            before, after = r.choice(_EMBED_TEMPLATES)
            return before + _lower_first(text.rstrip(".!")) + after
        if roll < 0.4:
            tail = _PHONE_TAILS.pick(r)
            return text.rstrip(".!") + (tail or r.choice((" (Иван)", " Сергей"))) + "."
        return text
