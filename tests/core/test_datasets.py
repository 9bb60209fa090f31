"""Dataset readers: every real GT file in ../shared/data loads; malformed lines name file:line."""

import json
import zipfile

import numpy as np
import pytest
from helpers import DATA, need_shared

from ocrkit.datasets import DatasetError
from ocrkit.datasets.funsd import load_funsd, read_funsd_file
from ocrkit.datasets.icdar import load_icdar, parse_line, read_gt_file, read_prediction_file
from ocrkit.datasets.polygons import load_msra_td500, load_sroie, read_msra_file
from ocrkit.datasets.recognition import load_crops, load_icdar2015_words, load_iiit5k
from ocrkit.datasets.synthtext import load_synthtext, read_synthtext

IC15 = DATA / "icdar2015"


def test_parse_line_variants(tmp_path):
    p = tmp_path / "gt.txt"
    poly, text = parse_line("377,117,463,117,465,130,378,130,Genaxis Theatre", p, 1)
    assert poly.shape == (4, 2) and text == "Genaxis Theatre"
    assert parse_line("1,2,3,2,3,4,1,4,a,b,c", p, 1)[1] == "a,b,c"  # commas in the text
    assert parse_line("669,139,693,140,693,154,669,153,154", p, 1)[1] == "154"  # numeric text
    assert parse_line("1,1,5,1,5,5,1,5,007", p, 1)[1] == "007"  # ... as written, not as a float
    assert parse_line("1,1,5,1,5,5,1,5,7.950", p, 1)[1] == "7.950"
    poly, text = parse_line('38, 43, 920, 215, "Tiredness"', p, 1)  # IC13 LTRB
    assert text == "Tiredness" and poly.tolist() == [[38, 43], [920, 43], [920, 215], [38, 215]]
    assert parse_line('1,1,5,1,5,5,1,5,"say \\"hi\\""', p, 1)[1] == 'say "hi"'
    with pytest.raises(DatasetError, match=r"gt\.txt:7: expected x1,y1"):
        parse_line("12,13,oops", p, 7)


def test_bom_crlf_and_malformed_file(tmp_path):
    good = tmp_path / "gt_img_1.txt"
    good.write_bytes("\ufeff1,1,9,1,9,9,1,9,###\r\n2,2,8,2,8,8,2,8,Word\r\n".encode())
    gts = read_gt_file(good)
    assert [g.ignore for g in gts] == [True, False] and gts[1].text == "Word"
    bad = tmp_path / "gt_img_2.txt"
    bad.write_text("1,1,9,1,9,9,1,9,ok\n1,2,3\n")
    with pytest.raises(DatasetError, match=r"gt_img_2\.txt:2:"):
        read_gt_file(bad)


def test_icdar2015_test_set_loads_every_file():
    need_shared()
    samples = load_icdar(IC15 / "test")
    assert len(samples) == 500 and samples[0].stem == "img_1" and samples[-1].stem == "img_500"
    assert sum(len(s.targets) for s in samples) == 5230
    assert sum(not g.ignore for s in samples for g in s.targets) == 2077


def test_icdar2015_train_gt_loads_every_file():
    need_shared()
    files = sorted((IC15 / "train" / "ch4_training_localization_transcription_gt").glob("*.txt"))
    assert len(files) == 1000
    assert sum(len(read_gt_file(f)) for f in files) > 10000


def test_funsd_word_and_entity_levels():
    need_shared()
    test = load_funsd(DATA / "funsd" / "dataset" / "testing_data")
    assert len(test) == 50 and sum(len(s.targets) for s in test) == 8973
    train = load_funsd(DATA / "funsd" / "dataset" / "training_data")
    assert len(train) == 149
    entities = load_funsd(DATA / "funsd" / "dataset" / "testing_data", level="entity")
    assert sum(len(s.targets) for s in entities) < 8973 / 2


def test_funsd_malformed(tmp_path):
    bad = tmp_path / "a.json"
    bad.write_text(json.dumps({"form": [{"box": [1, 2, 3, 4], "text": "x", "words": [{"box": [5, 6], "text": "y"}]}]}))
    with pytest.raises(DatasetError, match=r"a\.json: form\[0\]\.words\[0\]: box must be"):
        read_funsd_file(bad)


def test_word_crop_readers():
    need_shared()
    test = load_icdar2015_words(IC15 / "word_recognition" / "test")
    assert len(test) == 2077 and test[0].text == "JOINT"
    train = load_icdar2015_words(IC15 / "word_recognition" / "train")
    assert len(train) == 4468 and train[0].text == "Genaxis Theatre"
    iiit = load_iiit5k(DATA / "iiit5k")
    assert len(iiit) == 3000 and iiit[0].text == "PRIVATE"
    tags = load_crops(DATA / "iiit5k")  # the same crops through test.tags
    assert [s.text for s in tags[:50]] == [s.text for s in iiit[:50]]


@pytest.mark.parametrize("name", ["totaltext_test_gt_TIoU.zip", "ctw1500_test_gt_TIoU.zip"])
def test_polygon_gt_zips_load_every_file(tmp_path, name):
    need_shared()
    with zipfile.ZipFile(DATA / "_eval_gt_only" / name) as z:
        z.extractall(tmp_path)
    files = sorted(tmp_path.glob("*.txt"))
    assert len(files) > 200
    regions = [g for f in files for g in read_gt_file(f)]
    assert any(len(g.polygon) > 4 for g in regions)  # curved text: more than 4 points
    if name.startswith("totaltext"):
        assert any(g.ignore for g in regions)  # '###' regions (CTW1500's file has none)


def test_sroie_and_msra_td500(tmp_path):
    from PIL import Image

    (tmp_path / "img").mkdir()
    (tmp_path / "box").mkdir()
    Image.new("RGB", (50, 40)).save(tmp_path / "img" / "X0001.jpg")
    (tmp_path / "box" / "X0001.txt").write_text("10,5,40,5,40,15,10,15,TOTAL: 1,234.00\n")
    sroie = load_sroie(tmp_path)
    assert sroie[0].targets[0].text == "TOTAL: 1,234.00"

    gt = tmp_path / "IMG_1.gt"
    gt.write_text(f"0 0 10 20 40 10 {np.pi / 2}\n1 1 0 0 4 2 0\n")
    boxes = read_msra_file(gt)
    # 40×10 box centred at (30, 25) rotated by 90°: becomes 10 wide, 40 high.
    np.testing.assert_allclose(boxes[0].polygon.min(axis=0), [25, 5], atol=1e-4)
    np.testing.assert_allclose(boxes[0].polygon.max(axis=0), [35, 45], atol=1e-4)
    assert boxes[1].ignore and not boxes[0].ignore
    Image.new("RGB", (50, 40)).save(tmp_path / "IMG_1.JPG")
    assert len(load_msra_td500(tmp_path)) == 1
    (tmp_path / "IMG_1.gt").write_text("0 0 10 20\n")
    with pytest.raises(DatasetError, match=r"IMG_1\.gt:1: expected 'index difficult"):
        read_msra_file(tmp_path / "IMG_1.gt")


def test_synthtext_gt_mat(tmp_path):
    import scipy.io

    word = np.array([[[0, 10, 10, 0]], [[0, 0, 5, 5]]], np.float64).reshape(2, 4)  # one word 2×4
    chars = np.stack([word, word + [[1], [0]]], axis=2)  # two characters 2×4×2
    def cell(value):
        out = np.empty((1, 1), object)
        out[0, 0] = value
        return out

    scipy.io.savemat(tmp_path / "gt.mat", {
        "imnames": cell(np.array(["a/b.jpg"])), "wordBB": cell(word), "charBB": cell(chars),
        "txt": cell(np.array(["hi"])),
    })  # fmt: skip
    items = read_synthtext(tmp_path / "gt.mat")
    assert items[0].words == ["hi"] and items[0].char_quads.shape == (2, 4, 2)
    assert items[0].word_quads[0].tolist() == [[0, 0], [10, 0], [10, 5], [0, 5]]
    assert load_synthtext(tmp_path)[0].targets[0].text == "hi"


def test_prediction_files_roundtrip(tmp_path):
    from ocrkit import Word
    from ocrkit.output import icdar_lines

    words = [Word(np.array([[1.7, 2], [9, 2], [9, 8.9], [1, 8]], np.float32), 'a,"b"', 0.9, 0.8)]
    path = tmp_path / "res_x.txt"
    path.write_text("\n".join(icdar_lines(words)) + "\n")
    back = read_prediction_file(path)
    assert back[0].text == 'a,"b"' and back[0].polygon.tolist() == [[1, 2], [9, 2], [9, 8], [1, 8]]
