"""The fixer as a libcst codemod::

    python -m libcst.tool codemod -x flake8_hotwrap.codemod.HotwrapCodemod --no-format src/

Sites are selected per file through the same project index as the flake8 plugin
(only sites on request handlers unless ``--all``); the rewrite is the one of
``python -m flake8_hotwrap.fix``.  Unsafe/unfixable sites are reported as codemod
warnings.
"""
from __future__ import annotations

import argparse
import os
from typing import List, Optional

import libcst as cst
from libcst.codemod import CodemodContext, SkipFile

from flake8_hotwrap.rewrite import Site, Status, WrapsRewriteCommand
from flake8_hotwrap.targets import (
    TargetVersionError, TargetVersions, default_target, parse_target_version,
)


class HotwrapCodemod(WrapsRewriteCommand):
    DESCRIPTION: str = (
        "Rewrite functools.wraps/update_wrapper on request-handler decorators into explicit "
        "attribute assignments (flake8-hotwrap)."
    )

    @staticmethod
    def add_args(arg_parser: argparse.ArgumentParser) -> None:
        arg_parser.add_argument("--unsafe-fixes", dest="unsafe_fixes", action="store_true",
                                help="also apply fixes that are not provably equivalent")
        arg_parser.add_argument("--all", dest="all_sites", action="store_true",
                                help="rewrite every wraps site, not only those on handlers")
        arg_parser.add_argument("--target-version", dest="target_version", default=None,
                                help="py39, 3.9 or 3.9-3.13 (default: requires-python)")

    def __init__(self, context: CodemodContext, unsafe_fixes: bool = False,
                 all_sites: bool = False, target_version: Optional[str] = None) -> None:
        try:
            target: Optional[TargetVersions] = (
                parse_target_version(target_version) if target_version else None)
        except TargetVersionError as exc:
            raise ValueError(str(exc)) from None
        super().__init__(context, (), target or TargetVersions((3, 0)), unsafe_fixes)
        self.explicit_target = target
        self.all_sites = all_sites

    def _sites_for(self, filename: str) -> List[Site]:
        from flake8_hotwrap.fix import index_sites
        from flake8_hotwrap.config import config_from_files, find_root

        path = os.path.abspath(filename)
        selected = index_sites([path], config_from_files(find_root(path)), self.all_sites)
        return list(selected.get(path, []))

    def transform_module_impl(self, tree: cst.Module) -> cst.Module:
        filename = self.context.filename
        if not filename:
            raise SkipFile("flake8-hotwrap needs the file's path to find its sites")
        self.sites = self._sites_for(filename)
        if not self.sites:
            raise SkipFile("no wraps site on a request handler")
        from flake8_hotwrap.config import find_root

        self.target = self.explicit_target or default_target(find_root(filename))
        new_tree = super().transform_module_impl(tree)
        for result in self.results:
            if result.status is Status.SKIPPED_UNSAFE:
                self.warn(f"{result.line}:{result.column + 1}: unsafe fix not applied: "
                          f"{result.reason} (use --unsafe-fixes)")
            elif result.status is Status.FIXED_UNSAFE:
                self.warn(f"{result.line}:{result.column + 1}: applied unsafe fix: "
                          f"{result.reason}")
            elif result.status is Status.UNFIXABLE:
                self.warn(f"{result.line}:{result.column + 1}: cannot fix: {result.reason}")
        return new_tree
