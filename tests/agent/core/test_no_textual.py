"""The detection core must not import Textual (house style: harlequin's rule)."""

import ast
from pathlib import Path

import agent.core

CORE = Path(agent.core.__file__).parent


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
        elif isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", "")) in (
            "__import__",
            "import_module",
        ):
            names.update(arg.value for arg in node.args if isinstance(arg, ast.Constant) and isinstance(arg.value, str))
    return names


def test_no_module_under_agent_core_imports_textual_or_the_ui():
    files = sorted(CORE.rglob("*.py"))
    assert len(files) > 10
    offenders = {
        str(path.relative_to(CORE)): sorted(
            name for name in imported_modules(path) if name.split(".")[0] == "textual" or name.startswith("agent.tui")
        )
        for path in files
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_the_checker_would_catch_one(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("import os\nfrom textual.app import App\n__import__('textual')\n")
    assert {"textual.app", "textual"} <= imported_modules(bad)
