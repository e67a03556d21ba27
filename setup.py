"""Build the package: the wheel carries the repository's top-level templates/ and migrations/ inside it (as
cxroadmap/templates and cxroadmap/migrations) and the message catalogs compiled; metadata is in setup.cfg."""

import sys
from pathlib import Path

from setuptools import find_namespace_packages, setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent
# Top-level folders of the repository mapped into the package at build time.
MAPPED = {"cxroadmap.templates": "templates", "cxroadmap.migrations": "migrations"}


def mapped_packages() -> list[str]:
    """Every folder under a mapped folder, named as the package it becomes."""
    names = []
    for package, folder in MAPPED.items():
        root = HERE / folder
        for path in [root, *sorted(p for p in root.rglob("*") if p.is_dir())]:
            parts = path.relative_to(root).parts
            if "__pycache__" not in parts:
                names.append(".".join([package, *parts]))
    return names


class BuildWithCatalogs(build_py):
    """build_py that also compiles every translations/*/LC_MESSAGES/messages.po into the built package."""

    def run(self):
        super().run()
        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po

        for po in sorted((HERE / "cxroadmap" / "translations").glob("*/LC_MESSAGES/messages.po")):
            target = Path(self.build_lib) / po.relative_to(HERE).with_suffix(".mo")
            target.parent.mkdir(parents=True, exist_ok=True)
            with po.open("rb") as source:
                catalog = read_po(source)
            with target.open("wb") as compiled:
                write_mo(compiled, catalog)


# Data folders (static/css, translations/nl/LC_MESSAGES …) are namespace packages, so setuptools includes
# them without warning about each one.
packages = find_namespace_packages(include=["cxroadmap", "cxroadmap.*"], exclude=["*.__pycache__"])
# `pip install -e .` (make install): the checkout itself goes on the path and nothing is mapped, since the app
# finds templates/ and migrations/ next to the package there. A mapped folder would make setuptools install a
# finder of its own and print a warning about it on every install.
EDITABLE = "editable_wheel" in sys.argv
setup(
    packages=packages if EDITABLE else packages + mapped_packages(),
    package_dir={"": "."} if EDITABLE else MAPPED,
    package_data={"": ["*"]},
    exclude_package_data={"": ["*.pyc"]},
    cmdclass={"build_py": BuildWithCatalogs},
)
