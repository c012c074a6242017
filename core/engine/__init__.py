"""The engine: an ad in, contact spans and a probability out (normalize -> detectors -> spans -> scorer -> features -> model -> predict)."""
