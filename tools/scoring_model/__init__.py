"""A trainable, validated scoring model (WoE logistic scorecard) next to the engine's expert scorecard.

data.py      CSV / frame loading and validation (InvalidInput, never a half-written artefact)
binning.py   monotonic optimal binning with a missing bin (optbinning)
spec.py      the JSON model spec: bins, WoE, coefficients, points (loading never executes code)
training.py  split → binning → WoE → logistic regression → points; cross-validation
metrics.py   AUC, Gini, KS, PSI, IV, calibration by score band
scorer.py    RegisteredModel: the engine's `Scorer` over a spec (vectorised, with reason codes)
report.py    the validation report (typed, rendered with rich)
card.py      the model card
registry.py  versioned artefacts under CREDITDESK_HOME/models, promote/retire with a history
monitor.py   PSI/CSI of current data against the development sample
book.py      the training frame from the book (engine features + observed defaults)
"""
