"""Every install hint names this project's own distribution, llm-hosting-advisor.

PyPI's ``advisor`` is an unrelated project: a hint such as ``pip install 'advisor[reports]'``
downloads it and fails. This scans the messages in the package and the documentation users
read, and checks the name in pyproject.toml is the one the hints use.
"""

from __future__ import annotations

import re
import shlex
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DIST = "llm-hosting-advisor"
INSTALL = re.compile(r"""(?:pip|pipx|uv pip|uv tool)\s+install\s+([^`\n)]*)""")


def scanned() -> list[Path]:
    files = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
    files += sorted((ROOT / "advisor").rglob("*.py"))
    files += sorted((ROOT / "advisor").rglob("*.j2"))
    return files


def requirements(args: str) -> list[str]:
    """The distributions an install command names (flags and local paths left out)."""
    try:
        words = shlex.split(args.replace("\\", " "))
    except ValueError:
        words = args.split()
    out = []
    for word in words:
        if word in ("&&", "||", "|", ";", "#") or word.startswith("#"):
            break  # the next command on the line
        word = word.strip("'\"")
        if not word or word.startswith(("-", ".", "/")) or "{" in word:
            continue  # a flag, or the project itself from a checkout
        word = word.strip(".,;:")
        out.append(re.split(r"[\[=<>!~ ]", word, maxsplit=1)[0])
    return out


def test_the_distribution_name_is_the_one_hints_use() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert project["name"] == DIST
    assert "jinja2" in " ".join(project["dependencies"]).lower()
    extras = project.get("optional-dependencies", {})
    assert not any("matplotlib" in d for deps in extras.values() for d in deps)
    assert "charts" not in extras and "reports" not in extras


def test_no_hint_installs_another_distribution() -> None:
    wrong: list[str] = []
    seen = 0
    for path in scanned():
        text = path.read_text(encoding="utf-8")
        for match in INSTALL.finditer(text):
            for name in requirements(match.group(1)):
                seen += 1
                if name != DIST:
                    line = text[: match.start()].count("\n") + 1
                    wrong.append(f"{path.relative_to(ROOT)}:{line}: {match.group(0).strip()}")
        for match in re.finditer(r"(?<![\w-])advisor\[", text):
            line = text[: match.start()].count("\n") + 1
            wrong.append(f"{path.relative_to(ROOT)}:{line}: advisor[...] is another project")
    assert seen >= 3, "the scan found no install hint at all"
    assert not wrong, "\n".join(wrong)


def test_a_missing_dependency_message_names_the_project() -> None:
    from advisor.report import DISTRIBUTION, _require

    assert DISTRIBUTION == DIST
    import importlib.util

    real = importlib.util.find_spec

    def no_jinja(name: str, *a: object) -> object:
        return None if name == "jinja2" else real(name, *a)  # type: ignore[arg-type]

    importlib.util.find_spec = no_jinja  # type: ignore[assignment]
    try:
        try:
            _require("html")
        except Exception as exc:
            assert f"pip install '{DIST}'" in str(exc)
        else:
            raise AssertionError("no error without jinja2")
    finally:
        importlib.util.find_spec = real
