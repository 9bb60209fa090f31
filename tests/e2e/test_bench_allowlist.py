"""benchmarks/bench_allowlist.py on four IIIT5K crops (real CRNN): rows, counts and examples."""

import shutil
import sys
from pathlib import Path

from helpers import DATA, need_plugin, need_shared

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))


def test_rows_count_exact_readings_with_and_without_the_allowlist(tmp_path, capsys):
    need_shared()
    need_plugin("ocrkit_crnn")
    from bench_allowlist import main

    # "#" for 4 and "Io"/"To" for 10 read right with the digits only; "PRIVATE" is no number.
    labels = {"122_1.png": "4", "5220_2.png": "10", "1002_1.png": "PRIVATE", "2192_5.png": "1"}
    for name in labels:
        shutil.copy(DATA / "iiit5k" / "test" / name, tmp_path / name)
    (tmp_path / "labels.txt").write_text("".join(f"{n}\t{t}\n" for n, t in labels.items()))
    assert main(["--set", f"crops:{tmp_path}", "--kinds", "digits,numbers"]) == 0
    out = capsys.readouterr().out
    rows = [line for line in out.splitlines() if line.startswith("| crops")]
    # The free reading puts one right itself ("To" -> "10" with the default contrast retry).
    assert rows == [f"| crops {tmp_path.name} | digits | 3 | 1 | 1 | 3 | **3** | 2 | 0 |"]
    assert f"crops {tmp_path.name} digits fixed: '#' -> '4'" in out
