"""Merging catalog files of layered rules directories, for the tests.

Production loading goes through :mod:`advisor.load.bundle`, which does the same merge while
keeping file locations; both end in ``Catalog.model_validate(merged)``. This shorter version
(no locations) lets the catalog tests build a catalog from a few YAML layers quickly; it lived
in advisor/catalog/layers.py, where only tests used it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import yaml

from advisor.catalog.schema import Catalog


def merge_layers(docs: Iterable[Mapping[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """Merge catalog documents in order: same (section, id) shallow-updates, new ids append."""
    merged: dict[str, list[dict[str, Any]]] = {}
    for doc in docs:
        for section, entries in doc.items():
            target = merged.setdefault(section, [])
            index = {e["id"]: i for i, e in enumerate(target)}
            for entry in entries or ():
                if entry["id"] in index:
                    target[index[entry["id"]]] = {**target[index[entry["id"]]], **entry}
                else:
                    index[entry["id"]] = len(target)
                    target.append(dict(entry))
    return merged


# libyaml's loader where PyYAML has it (as advisor.load.yamlsafe uses): the pure-Python one
# takes about a second over the packaged catalog, and the catalog tests read it many times.
_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_yaml(path: Path) -> Any:
    """``yaml.safe_load`` of the file, with libyaml when installed."""
    return yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER)


def load_catalog_dir(*dirs: Path) -> Catalog:
    """The catalog of ``dirs`` (each a ``catalog/`` folder), later directories overriding."""
    docs = []
    for folder in dirs:
        for path in sorted(folder.glob("*.yaml")):
            data = read_yaml(path)
            if data:
                docs.append(data)
    return Catalog.model_validate(merge_layers(docs))
