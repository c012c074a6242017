"""Compatibility for models registered before `core` was split into layers.

A registered model carries its own copy of the code, but a process that already imported this project's `core`
runs the copy's `pyfunc_model.py` against this `core`; models logged before the split import `core.predict`.
Keep this module while such versions may still be served or compared by the promotion gate.
"""

from core.engine.predict import OUTPUT_SPAN_FIELDS, Predictor, cap_ad_texts

__all__ = ["OUTPUT_SPAN_FIELDS", "Predictor", "cap_ad_texts"]
