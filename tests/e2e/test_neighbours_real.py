"""--neighbours trim on a real photo: the official CRAFT boxes of ICDAR 2015 test img_28 touch
their neighbours, and the CRNN reads the neighbour's edge into three of its words."""

import sys
from pathlib import Path

import numpy as np
import pytest
from helpers import DATA, REFERENCE

import ocrkit
from ocrkit.datasets.icdar import as_detections, read_gt_file, read_prediction_file

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
from bench_crops import SavedDetections  # noqa: E402

IMAGE = DATA / "icdar2015" / "test" / "ch4_test_images" / "img_28.jpg"
BOXES = REFERENCE / "craft" / "ic15_official_predictions" / "res_img_28.txt"
GT = DATA / "icdar2015" / "test" / "Challenge4_Test_Task1_GT" / "gt_img_28.txt"


@pytest.mark.skipif(not IMAGE.is_file() or not BOXES.is_file(), reason="../shared is not available")
def test_trimmed_crops_drop_the_neighbours_edge():
    # Without the word list, which puts "Librany" right from the untrimmed crop too.
    reader = ocrkit.load_recognizer("crnn", lexicon=None)
    image = ocrkit.read_image(IMAGE)
    saved = SavedDetections()
    saved.current = as_detections(read_prediction_file(BOXES))
    truth = {g.text.lower() for g in read_gt_file(GT) if g.text and g.text != "###"}
    read = {}
    for mode in ("keep", "trim"):
        # Bilinear crops: with the default Lanczos cut "Nam" reads right untrimmed too.
        pipe = ocrkit.Pipeline(saved, reader, neighbours=mode, retry_margins=(), crop_sampling="linear")
        words = pipe.read([image])[0]
        read[mode] = [w.text for w in words]
        boxes = np.stack([w.polygon for w in words])
    np.testing.assert_array_equal(boxes.shape, (len(saved.current), 4, 2))  # same regions out
    right = {m: sum(t.lower() in truth for t in texts) for m, texts in read.items()}
    # Measured: keep reads "Nam|", "Librany", "Theatre '"; trim reads "Nam", "Library", "Theatre".
    assert right["trim"] >= right["keep"] + 2, read
    assert "library" in {t.lower() for t in read["trim"]}
