"""Package discovery: every package under advisor/, plus the default rule set and the examples.

The default rule set is edited in rules/ at the repository root and shipped inside the package
as ``advisor.default_rules`` (so `pipx install` works from any directory); the example
organisations ship as ``advisor.examples`` because the default scenario tests read them by
relative path. Everything else is found, not listed: a new package needs no line here.
"""

from setuptools import find_namespace_packages, setup

DATA_PACKAGES = {
    "advisor.default_rules": "rules",
    "advisor.default_rules.catalog": "rules/catalog",
    "advisor.default_rules.tests": "rules/tests",
    "advisor.default_rules.facts": "rules/facts",
    "advisor.examples": "examples",
}

setup(
    packages=[
        *find_namespace_packages(include=["advisor", "advisor.*"], exclude=["*.__pycache__"]),
        *DATA_PACKAGES,
    ],
    package_dir={"advisor": "advisor", **DATA_PACKAGES},
)
