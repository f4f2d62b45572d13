"""The packages' layers, read from the source: ``core`` (shared machinery) imports neither app,
and ``dinas`` never imports ``pohon`` (pohon stands on dinas, not the other way round)."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def imported_modules(package: str) -> dict[str, set[str]]:
    """Every module each file of ``package`` imports, at the top or inside a function."""
    found: dict[str, set[str]] = {}
    for path in sorted((ROOT / package).rglob("*.py")):
        names: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
            if isinstance(node, ast.Import):
                names.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module)
        found[str(path.relative_to(ROOT))] = names
    return found


@pytest.mark.parametrize(
    ("package", "forbidden"),
    [("core", ("dinas", "pohon")), ("dinas", ("pohon",))],
)
def test_package_does_not_import(package, forbidden):
    offending = {
        path: sorted(name for name in names if name.split(".")[0] in forbidden)
        for path, names in imported_modules(package).items()
    }
    assert {path: names for path, names in offending.items() if names} == {}
    assert len(offending) > 10  # the walk did read the package's files
