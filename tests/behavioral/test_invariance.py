"""Behavioral tests: a contact gets the same verdict plain and disguised; look-alike numbers are not flagged."""

from __future__ import annotations

import pytest

from core.engine.predict import Predictor
from tests.conftest import TrainedStore

TEMPLATE = "Продам велосипед Stels, рама 18, состояние хорошее. {contact} Самовывоз из центра."
PLAIN = "Звоните 89123456789."
DISGUISED = [
    "Звоните 8 9I2 З45 67 89.",
    "Звоните восемь девятьсот двенадцать триста сорок пять шестьдесят семь восемьдесят девять.",
    "Звоните 8 девятьсот 12 345 67 89.",
    "Звоните 8.9.1.2.3.4.5.6.7.8.9.",
    "Звоните 8️⃣9️⃣1️⃣2️⃣3️⃣4️⃣5️⃣6️⃣7️⃣8️⃣9️⃣.",
    "Звоните ８９１２３４５６７８９.",
    "Звоните 8 912 345. Остальное 67 89.",
    "Звоните 8ф9ы1в2з3а4б5в6г7д8е9.",
]
OTHER_CONTACTS = [
    "Пишите ivan собака mail точка ru.",
    "Пишите ivan(at)mail(dot)ru.",
    "Пишите в тг ivan_petrov.",
    "Пишите в телегу @ivan_petrov.",
    "Смотрите vk.com/id12345.",
    "Наш сайт velo-shop точка ру.",
]
LOOK_ALIKES = [
    "Цена 12 500 руб, торг.",
    "VIN XTA21099071234567.",
    "Пробег 189 000 км, 2015 г.в.",
    "Артикул 8924531, размер 200х90х45.",
    "Пишите в сообщения на Авито, есть WhatsApp.",
    "ИНН 7701234567.",
]


@pytest.fixture(scope="module")
def predictor(trained_store: TrainedStore) -> Predictor:
    from core.lifecycle import tracking

    return tracking.load_predictor(trained_store.settings.tracking)


def _score(predictor: Predictor, contact: str) -> tuple[float, int]:
    result = predictor.predict_one(TEMPLATE.format(contact=contact), "Велосипед", "Хобби и отдых", "Велосипеды", 9000)
    return result.probability, len(result.contacts)


@pytest.mark.parametrize("disguised", DISGUISED)
def test_disguised_phone_gets_the_same_verdict_as_plain(predictor: Predictor, disguised: str) -> None:
    plain_probability, plain_contacts = _score(predictor, PLAIN)
    probability, contacts = _score(predictor, disguised)
    assert plain_probability >= 0.5
    assert probability >= 0.5
    assert contacts >= 1 and plain_contacts == 1


@pytest.mark.parametrize("contact", OTHER_CONTACTS)
def test_other_contact_kinds_are_flagged(predictor: Predictor, contact: str) -> None:
    probability, contacts = _score(predictor, contact)
    assert probability >= 0.5
    assert contacts == 1


@pytest.mark.parametrize("look_alike", LOOK_ALIKES)
def test_look_alike_numbers_are_not_flagged(predictor: Predictor, look_alike: str) -> None:
    probability, contacts = _score(predictor, look_alike)
    assert contacts == 0
    assert probability < 0.5
