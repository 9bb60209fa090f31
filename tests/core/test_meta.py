"""Meta-tests: every hook is tested and documented; the core never imports a plugin or torch."""

import ast
import re
import subprocess
import sys

from helpers import ROOT

from ocrkit import hookspecs

HOOKS = sorted(name for name in dir(hookspecs) if name.startswith("ocrkit_"))


def test_every_hook_has_a_test():
    source = "\n".join(p.read_text() for p in (ROOT / "tests").rglob("test_*.py"))
    missing = [h for h in HOOKS if f"def test_hook_{h}" not in source]
    assert not missing, f"hooks without a test_hook_<name> test: {missing}"


def test_every_hook_is_documented():
    doc = (ROOT / "docs" / "hooks.md").read_text()
    missing = [h for h in HOOKS if not re.search(rf"^## `{h}\(", doc, re.M)]
    assert not missing, f"hooks without a section in docs/hooks.md: {missing}"


def test_core_never_imports_plugins():
    offenders = []
    for path in (ROOT / "ocrkit").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            offenders += [f"{path.name}: {n}" for n in names if n.split(".")[0].startswith("ocrkit_")]
    assert not offenders


def test_importing_ocrkit_and_listing_plugins_does_not_import_torch():
    code = (
        "import sys, ocrkit; from ocrkit.plugins import plugin_info;"
        "plugin_info(ocrkit.make_plugin_manager()); print('torch' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
