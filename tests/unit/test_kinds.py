"""The registry of contact kinds and disguises is the one source the rest of the code derives from."""

from __future__ import annotations

import pytest

from core import kinds
from core.config import DetectSettings, Settings
from core.engine.detectors import DETECTOR_CLASSES
from core.lifecycle.synth import _AdMaker
from ui import render


def test_every_kind_has_a_detector_a_label_and_colours() -> None:
    assert set(DETECTOR_CLASSES) == set(kinds.CONTACT_KINDS)
    assert set(render.KIND_LABELS) == set(render.KIND_COLORS) == set(kinds.CONTACT_KINDS)
    assert all(label and label.strip() for label in render.KIND_LABELS.values())


def test_every_disguise_has_a_label_and_a_generator_builder() -> None:
    import random

    builders = _AdMaker(random.Random(0)).contact_builders
    assert set(kinds.DISGUISES) <= set(builders)
    assert set(render.DISGUISE_LABELS) == set(kinds.DISGUISES)
    assert len(set(render.DISGUISE_LABELS.values())) == len(kinds.DISGUISES)  # labels tell disguises apart


def test_config_accepts_exactly_the_registered_kinds() -> None:
    assert Settings().detect.enabled == list(kinds.CONTACT_KINDS)
    with pytest.raises(ValueError):
        DetectSettings(enabled=["phone", "fax"])
