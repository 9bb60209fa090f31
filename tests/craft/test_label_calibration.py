"""benchmarks/label_calibration.py: the pretrained model against its own training targets."""

import json
import sys
from pathlib import Path

import numpy as np
from helpers import need_plugin

need_plugin("ocrkit_craft")
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
from label_calibration import main, ratios, summary  # noqa: E402


def test_ratios_count_pixels_above_threshold_inside_the_mask():
    pred = np.zeros((4, 4, 2))
    pred[:2, :, 0] = 0.9  # 8 region pixels predicted, 4 in the mask
    region, affinity = np.zeros((4, 4)), np.zeros((4, 4))
    region[0, :2] = 0.5
    mask = np.zeros((4, 4), bool)
    mask[0] = True
    assert ratios(pred, region, affinity, mask).tolist() == [4, 2, 2, 0, 0, 0]
    assert ratios(pred, region, affinity).tolist() == [8, 2, 2, 0, 0, 0]
    s = summary(ratios(pred, region, affinity, mask))
    assert s["region"] == 2.0 and s["region_iou"] == 0.5  # 2 shared of 4 pixels
    assert s["affinity"] == 0.0 and s["affinity_iou"] == 0.0


def test_isotropic_links_are_larger_than_the_pretrained_models(capsys):
    """Real weights, one synthetic page: the default links are close to craft_mlt_25k's own
    (ratio near the region's), the isotropic 1.5× ones much larger (ratio well below)."""
    out = {}
    for along in (0.0, 0.5):
        assert main(["--pages", "1", "--link-enlarge", str(along)]) == 0
        out[along] = json.loads(capsys.readouterr().out.strip().splitlines()[-1])["ratios"]["synthetic"]
    region, short = out[0.0]
    assert 0.8 < region < 1.3 and abs(short - region) < 0.2
    assert out[0.5][1] < short / 1.2


def test_unknown_pseudo_box_mode_is_a_usage_error(capsys):
    import pytest

    with pytest.raises(SystemExit):
        main(["--pseudo-boxes", "tall"])
    assert "invalid choice: 'tall'" in capsys.readouterr().err
