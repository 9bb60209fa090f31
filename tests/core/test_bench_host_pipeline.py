"""benchmarks/bench_host_pipeline.py: each function's own time charged to a stage."""

import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
from bench_host_pipeline import charge, stage_of  # noqa: E402

RULES = ("/x/ocrkit/rules.py", 10, "rule_mask")
CROP = ("/x/ocrkit/geometry.py", 20, "crop_quad")
LEXICON = ("/x/ocrkit_crnn/lexicon.py", 30, "near")
HELPER = ("/x/numpy/_core/fromnumeric.py", 40, "sum")  # a library's Python function
OPENCV = ("~", 0, "<built-in method cv2.morphologyEx>")
CONV = ("~", 0, "<built-in method torch.conv2d>")


def test_stages_by_module():
    assert stage_of(RULES) == "ruling lines" and stage_of(CROP) == "crops"
    assert stage_of(LEXICON).startswith("spelling") and stage_of(CONV) == "networks"
    assert stage_of(("/x/ocrkit_craft/model.py", 1, "forward")) == "networks"
    assert stage_of(("/x/ocrkit/layers.py", 1, "forward")) == "networks"
    assert stage_of(OPENCV) is None and stage_of(HELPER) is None


def test_a_librarys_time_goes_to_its_callers_stages():
    # OpenCV's 4 s: 3 s called by the rules, 1 s through numpy's helper, which the lexicon
    # and the crop called for 0.5 and 1.5 s of its 2 s (cumulative): a 1 : 3 split.
    stats = {
        RULES: (1, 1, 0.5, 3.5, {}),
        CROP: (1, 1, 0.2, 1.0, {}),
        LEXICON: (1, 1, 0.1, 1.0, {}),
        HELPER: (2, 2, 1.0, 2.0, {LEXICON: (1, 1, 0.5, 0.5), CROP: (1, 1, 0.5, 1.5)}),
        OPENCV: (2, 2, 4.0, 4.0, {RULES: (1, 1, 3.0, 3.0), HELPER: (1, 1, 1.0, 1.0)}),
        CONV: (1, 1, 7.0, 7.0, {}),
    }
    seconds = charge(SimpleNamespace(stats=stats))
    assert seconds["networks"] == pytest.approx(7.0)
    assert seconds["ruling lines"] == pytest.approx(0.5 + 3.0)
    # numpy's helper: 1 s own + 1 s of OpenCV's, split 1 : 3 between the lexicon and the crop
    assert seconds["crops"] == pytest.approx(0.2 + 0.75 * 2.0)
    assert seconds["spelling (lexicon, case, look-alikes)"] == pytest.approx(0.1 + 0.25 * 2.0)
    assert sum(seconds.values()) == pytest.approx(12.8)
