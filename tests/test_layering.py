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


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports_of(tree: ast.Module, *, module: str, is_package: bool, top_level_only: bool) -> set[str]:
    """The modules ``module`` imports (``from a import b`` names ``a.b`` too when that is a
    module); with ``top_level_only`` only the imports run when it is imported: not those inside a
    function, nor under ``if TYPE_CHECKING:``."""
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        if top_level_only and isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            return
        if top_level_only and isinstance(node, ast.If) and _is_type_checking(node):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                package = module.split(".") if is_package else module.split(".")[:-1]
                package = package[: len(package) - (node.level - 1)]
                base = ".".join([*package, *([base] if base else [])])
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return found


def pohon_import_graph(*, top_level_only: bool) -> dict[str, set[str]]:
    """pohon's modules -> the pohon modules each imports."""
    trees = {}
    for path in sorted((ROOT / "pohon").rglob("*.py")):
        if "migrations" in path.parts:
            continue
        trees[_module_name(path)] = (path.name == "__init__.py", ast.parse(path.read_text(encoding="utf-8")))
    graph = {}
    for module, (is_package, tree) in trees.items():
        names = _imports_of(tree, module=module, is_package=is_package, top_level_only=top_level_only)
        graph[module] = {name for name in names if name in trees and name != module}
    return graph


def _reachable(graph: dict[str, set[str]], start: str) -> set[str]:
    seen: set[str] = set()
    stack = [start]
    while stack:
        for name in graph[stack.pop()]:
            if name not in seen:
                seen.add(name)
                stack.append(name)
    return seen


def test_services_and_history_do_not_import_each_other():
    """The services record history (services -> history); history, the restore having become a
    service, imports nothing that leads back to the services, at the top or inside a function."""
    graph = pohon_import_graph(top_level_only=False)
    assert "pohon.history" in graph["pohon.services"]  # the walk does see imports
    assert "pohon.services" not in _reachable(graph, "pohon.history")
    assert not ({"pohon.services", "pohon.history"} <= _reachable(graph, "pohon.history") | {"pohon.history"})


def test_pohon_has_no_import_cycle_at_module_level():
    graph = pohon_import_graph(top_level_only=True)
    assert len(graph) > 30 and "pohon.imports.checks" in graph["pohon.imports"]
    cycles = []
    state: dict[str, int] = {}  # 1 on the current path, 2 done

    def visit(module: str, path: list[str]) -> None:
        state[module] = 1
        for name in sorted(graph[module]):
            if state.get(name) == 1:
                cycles.append(" -> ".join([*path[path.index(name) :], name]))
            elif name not in state:
                visit(name, [*path, name])
        state[module] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module, [module])
    assert cycles == []


HEAVY_LIBRARIES = ("weasyprint", "pyhanko")


def heavy_libraries_loaded_after(statements: str) -> tuple[str, str]:
    """Run ``statements`` in a fresh interpreter of this project; (what it printed, which of
    ``HEAVY_LIBRARIES`` it had imported by the end)."""
    import subprocess
    import sys

    code = f"import sys\n{statements}\nprint('LOADED', sorted(m for m in {HEAVY_LIBRARIES!r} if m in sys.modules))"
    result = subprocess.run(  # noqa: S603 - our own interpreter
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stderr
    return result.stdout, result.stdout.rpartition("LOADED ")[2].strip()


def test_a_process_start_does_not_import_the_pdf_and_signature_libraries():
    """WeasyPrint (~0.3 s) and pyHanko (~0.2 s) are imported on the first render or signature
    (``pohon.pdf.html_document``, ``pohon.signing``), not when Django starts: every command, job
    child and web worker starts, and most of them never print or sign. ``manage.py check``
    loads every app, model, admin and task module and the whole URLconf with every view."""
    output, loaded = heavy_libraries_loaded_after(
        "from django.core.management import execute_from_command_line\n"
        "execute_from_command_line(['manage.py', 'check'])"
    )
    assert "System check identified no issues" in output
    assert loaded == "[]"

    _output, loaded = heavy_libraries_loaded_after(
        "import django\ndjango.setup()\nfrom pohon.pdf import html_document\n"
        "assert html_document('<p>uji</p>').write_pdf().startswith(b'%PDF-')\n"
        "from pohon.signing import pdf_signature_check\n"
        "assert not pdf_signature_check(b'%PDF-1.7 rusak').signed"
    )
    assert loaded == "['pyhanko', 'weasyprint']"  # the same functions, on first use
