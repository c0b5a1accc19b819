"""Import contracts that keep the package readable as a pipeline (docs/architecture.md).

Read from the source with :mod:`ast`, so a violation is reported with its file and line:

* layers: a package imports only from its own layer or the layers below it::

      advisor (the facade) and __main__
      cli, tui
      report, present
      scenarios, check
      engine
      expr, load, catalog
      model, problems, files

  Within a layer, packages may import each other as long as no cycle forms.
* the core (everything outside tui/ and cli/) imports neither textual nor jinja2 nor
  matplotlib; report/ may import jinja2 and matplotlib (lazily, for rendering), never textual;
* no module imports a private name (``_name``) from another package;
* no import cycle between packages.

Every import counts, also one inside a function (lazy) and ``importlib.import_module("...")``
with a literal name, except those under ``if TYPE_CHECKING:``: they are read by the type
checker only and load nothing when the program runs.
"""

from __future__ import annotations

import ast
import itertools
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "advisor"

LAYERS: tuple[frozenset[str], ...] = (
    frozenset({"__init__", "__main__"}),
    frozenset({"cli", "tui"}),
    frozenset({"report", "present"}),
    frozenset({"scenarios", "check"}),
    frozenset({"engine"}),
    frozenset({"expr", "load", "catalog"}),
    frozenset({"model", "problems", "files"}),
)
RANK = {name: i for i, layer in enumerate(LAYERS) for name in layer}

FRONT_ENDS = frozenset({"cli", "tui", "__init__", "__main__"})
UI_LIBRARIES = frozenset({"textual", "textual_plotext", "plotext"})
RENDER_LIBRARIES = frozenset({"jinja2", "markupsafe", "matplotlib"})
# numpy draws and prices the Monte Carlo's samples and is loaded only when sampling:
# about 0.1 s of import a point decision, `advisor check` or the TUI's start never pays
SAMPLING_LIBRARIES = frozenset({"numpy"})

# Violations of today's code that are too large to fix here; each names the import and why it
# stays for now. Remove an entry when its import goes: the test fails on a stale entry too.
KNOWN: dict[tuple[str, str], str] = {}


@dataclass(frozen=True)
class Import:
    path: Path
    line: int
    module: str  # the module imported from, e.g. "advisor.engine.ruleset" or "textual.app"
    names: tuple[str, ...]  # names imported from it ("from m import a, b"); () for "import m"

    @property
    def where(self) -> str:
        return f"advisor/{self.path.relative_to(PACKAGE).as_posix()}:{self.line}"

    @property
    def rel(self) -> str:
        return self.path.relative_to(PACKAGE).as_posix()


def package_of(module: str) -> str:
    """``advisor.engine.ruleset`` -> ``engine``; ``advisor`` -> ``__init__``."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _type_checking_lines(tree: ast.Module) -> set[int]:
    lines: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.dump(node.test):
            for sub in node.body:
                for inner in ast.walk(sub):
                    if hasattr(inner, "lineno"):
                        lines.add(inner.lineno)
    return lines


def _names_import_module(func: ast.expr) -> bool:
    if isinstance(func, ast.Attribute):
        return func.attr == "import_module"
    return isinstance(func, ast.Name) and func.id == "import_module"


def imports_of(path: Path) -> Iterator[Import]:
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    skip = _type_checking_lines(tree)
    here = module_name(path).split(".")
    if path.name != "__init__.py":
        here = here[:-1]  # the package a relative import starts from
    for node in ast.walk(tree):
        if getattr(node, "lineno", None) in skip:
            continue
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield Import(path, node.lineno, alias.name, ())
        elif isinstance(node, ast.ImportFrom):
            base = here[: len(here) - node.level + 1] if node.level else []
            module = ".".join([*base, *([node.module] if node.module else [])])
            yield Import(path, node.lineno, module, tuple(a.name for a in node.names))
        elif (
            isinstance(node, ast.Call)
            and _names_import_module(node.func)
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
            and not node.args[0].value.startswith(".")
        ):
            yield Import(path, node.lineno, node.args[0].value, ())


@cache
def all_imports() -> tuple[Import, ...]:
    return tuple(imp for path in sorted(PACKAGE.rglob("*.py")) for imp in imports_of(path))


def source_package(imp: Import) -> str:
    return package_of(module_name(imp.path))


def known(imp: Import, contract: str) -> bool:
    return KNOWN.get((imp.rel, imp.module)) == contract


def test_every_package_has_a_layer() -> None:
    packages = {source_package(imp) for imp in all_imports()}
    packages |= {package_of(module_name(p)) for p in PACKAGE.rglob("*.py")}
    missing = sorted(packages - set(RANK))
    assert not missing, (
        f"{missing} belong to no layer: add each to LAYERS in tests/test_architecture.py "
        "and to the diagram in docs/architecture.md"
    )


def test_lower_layers_never_import_higher_ones() -> None:
    bad = []
    for imp in all_imports():
        if not imp.module.startswith("advisor"):
            continue
        src, dst = source_package(imp), package_of(imp.module)
        if src in RANK and dst in RANK and RANK[dst] < RANK[src] and not known(imp, "layers"):
            if dst == "__init__" and set(imp.names) <= {"__version__"}:
                continue  # the version string is the one thing every layer may read
            bad.append(f"{imp.where}: {src}/ imports {imp.module} ({dst}/ is a higher layer)")
    assert not bad, "\n".join(bad)


def test_the_core_imports_no_ui_and_no_renderer() -> None:
    bad = []
    for imp in all_imports():
        src = source_package(imp)
        top = imp.module.split(".")[0]
        if src in FRONT_ENDS:
            continue
        if top in UI_LIBRARIES:
            bad.append(f"{imp.where}: {src}/ imports {imp.module} (only tui/ may)")
        elif top in RENDER_LIBRARIES and src != "report":
            bad.append(f"{imp.where}: {src}/ imports {imp.module} (only report/ and tui/ may)")
    assert not bad, "\n".join(bad)


def test_no_module_imports_another_packages_private_name() -> None:
    bad = []
    for imp in all_imports():
        if not imp.module.startswith("advisor"):
            continue
        if package_of(imp.module) == source_package(imp):
            continue
        private = [n for n in imp.names if n.startswith("_") and not n.startswith("__")]
        if private:
            bad.append(f"{imp.where}: imports {', '.join(private)} from {imp.module}")
    assert not bad, "\n".join(bad)


def test_no_import_cycle_between_packages() -> None:
    edges: dict[str, dict[str, str]] = {}
    for imp in all_imports():
        if not imp.module.startswith("advisor") or known(imp, "layers"):
            continue
        src, dst = source_package(imp), package_of(imp.module)
        if src != dst and "__init__" not in (src, dst) and "__main__" not in (src, dst):
            edges.setdefault(src, {}).setdefault(dst, imp.where)
    cycles = []
    for start in sorted(edges):
        stack: list[tuple[str, list[str]]] = [(start, [start])]
        while stack:
            node, trail = stack.pop()
            for nxt in sorted(edges.get(node, {})):
                if nxt == start:
                    steps = [*trail, start]
                    cycles.append(
                        " -> ".join(steps)
                        + " ("
                        + "; ".join(edges[a][b] for a, b in itertools.pairwise(steps))
                        + ")"
                    )
                elif nxt not in trail and nxt > start:  # each cycle once, from its first name
                    stack.append((nxt, [*trail, nxt]))
    assert not cycles, "\n".join(cycles)


# numpy's users: the one module that prices samples, and the Monte Carlo's random stream
NUMPY_USERS = {"catalog/batch.py", "scenarios/montecarlo.py"}


def test_only_the_batch_and_the_sampler_import_numpy() -> None:
    """One module prices samples with numpy (catalog/batch.py), one draws them
    (scenarios/montecarlo.py, numpy's RandomState); anywhere else numpy would be a second way
    of computing a cost."""
    found = sorted(
        imp.where
        for imp in all_imports()
        if imp.module.split(".")[0] in SAMPLING_LIBRARIES and imp.rel not in NUMPY_USERS
    )
    assert not found, found


def test_known_violations_are_still_there() -> None:
    """A KNOWN entry whose import is gone must be removed, so the list never hides a new one."""
    present = {(imp.rel, imp.module) for imp in all_imports()}
    stale = sorted(f"{rel} -> {module}" for rel, module in KNOWN if (rel, module) not in present)
    assert not stale, f"remove from KNOWN, fixed: {stale}"


def test_importing_the_core_loads_no_ui_and_no_renderer() -> None:
    """The same contract at run time: importing every core module (report/ aside, which loads
    jinja2 and matplotlib only when it renders) pulls none of them in, even indirectly."""
    core = sorted(
        module_name(p)
        for p in PACKAGE.rglob("*.py")
        if package_of(module_name(p)) not in FRONT_ENDS | {"report"}
    )
    script = (
        "import importlib, sys\n"
        f"for m in {core!r}: importlib.import_module(m)\n"
        f"print(sorted({{m.split('.')[0] for m in sys.modules}} & set({sorted(UI_LIBRARIES | RENDER_LIBRARIES | SAMPLING_LIBRARIES)!r})))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, check=True
    )
    assert out.stdout.strip() == "[]", out.stdout + out.stderr
