"""python-lsp-server plugin: the fixer's rewrite as a quick fix on HWR diagnostics.

Registered under the ``pylsp`` entry point group (``flake8_hotwrap =
flake8_hotwrap.pylsp_plugin``), so pylsp loads it when flake8-hotwrap is installed in the
same environment.  The diagnostics themselves come from pylsp's flake8 plugin (which runs
``flake8 --stdin-display-name PATH -`` on the unsaved buffer); this module only answers
``textDocument/codeAction``.

For an HWR001/HWR002/HWR003 diagnostic in the requested range it analyses the document's
*current buffer* against a freshly validated project index (the on-disk cache makes that
cheap, and a long-lived language server must not serve an index from an earlier edit),
and offers "Rewrite functools.wraps with explicit attributes" only when that line holds a
site the fixer would rewrite *safely*.  The edit is ``rewrite_source`` applied to the
buffer with that single site and the project's target (``default_target(root)``), exactly
what ``python -m flake8_hotwrap.fix`` does to the file for that site; it is sent as one
text edit replacing the changed lines.
"""
from __future__ import annotations

import ast
import io
import logging
import os
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple

import pluggy

from flake8_hotwrap.analysis import source_lines
from flake8_hotwrap.config import config_from_files, find_root
from flake8_hotwrap.fileio import FileError, decode_source, detect_encoding
from flake8_hotwrap.fix import FIXABLE_KINDS
from flake8_hotwrap.messages import Finding
from flake8_hotwrap.project import analyze_path, build_index
from flake8_hotwrap.rewrite import RewriteError, Status, rewrite_source
from flake8_hotwrap.targets import default_target

LOG = logging.getLogger(__name__)

#: pylsp's own marker is ``pluggy.HookimplMarker("pylsp")``; using pluggy directly keeps
#: this module importable (and type-checkable) without importing pylsp.
hookimpl = pluggy.HookimplMarker("pylsp")

TITLE = "Rewrite functools.wraps with explicit attributes"
CODES = ("HWR001", "HWR002", "HWR003")

Json = Dict[str, Any]


def _code_of(diagnostic: Mapping[str, Any]) -> Optional[str]:
    code = diagnostic.get("code")
    if isinstance(code, str) and code in CODES:
        return code
    message = diagnostic.get("message")
    if isinstance(message, str):
        for c in CODES:
            if message.startswith(c):
                return c
    return None


def _pos(p: Mapping[str, Any]) -> Tuple[int, int]:
    return int(p.get("line", 0)), int(p.get("character", 0))


def _overlaps(a: Mapping[str, Any], b: Mapping[str, Any]) -> bool:
    """Do two LSP ranges touch (an empty range at a diagnostic's edge counts)?"""
    try:
        a0, a1 = _pos(a["start"]), _pos(a["end"])
        b0, b1 = _pos(b["start"]), _pos(b["end"])
    except (KeyError, TypeError, ValueError, AttributeError):  # malformed: not ours
        return False
    return a0 <= b1 and b0 <= a1


def _lines(text: str) -> List[str]:
    """Lines as LSP counts them (``\\n``, ``\\r\\n`` and ``\\r`` end a line), with ends."""
    return io.StringIO(text, newline="").readlines()


def _utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _line_edit(old: str, new: str) -> Json:
    """One TextEdit turning ``old`` into ``new``, replacing only the lines that differ."""
    a, b = _lines(old), _lines(new)
    prefix = 0
    while prefix < min(len(a), len(b)) and a[prefix] == b[prefix]:
        prefix += 1
    suffix = 0
    while (suffix < min(len(a), len(b)) - prefix
           and a[len(a) - 1 - suffix] == b[len(b) - 1 - suffix]):
        suffix += 1
    end_line = len(a) - suffix
    if suffix == 0 and a and not a[-1].endswith(("\n", "\r")):
        end = {"line": len(a) - 1, "character": _utf16_len(a[-1])}
    else:
        end = {"line": end_line, "character": 0}
    return {"range": {"start": {"line": prefix, "character": 0}, "end": end},
            "newText": "".join(b[prefix:len(b) - suffix])}


def _buffer_bytes(text: str) -> Tuple[bytes, str]:
    """The bytes the buffer would be saved as (its encoding cookie honoured)."""
    head = "".join(_lines(text)[:2]).encode("utf-8", "surrogatepass")
    try:
        encoding = detect_encoding(head)
    except FileError:
        encoding = "utf-8"
    if encoding == "utf-8-sig":
        encoding = "utf-8"
    return text.encode(encoding), encoding


def _findings(path: str, data: bytes) -> Tuple[str, List[Finding]]:
    """(project root, findings of the buffer ``data`` standing in for ``path``)."""
    root = find_root(path)
    config = config_from_files(root)
    tree = ast.parse(data, filename=path)
    text, _ = decode_source(data)
    facts = analyze_path(path, root, tree, source_lines(text), config)
    if not facts.sites:
        return root, []
    # A fresh build (cheap: unchanged files come from the on-disk cache) so that an edit
    # to another module since the last request is seen, as the linter sees it.
    index = build_index(root, config, overrides={path: facts})
    return root, [f for f in index.findings(path) if f.on_handler
                  and f.site.kind in FIXABLE_KINDS]


def _pick(findings: Sequence[Finding], code: str, line: int, character: int) -> Optional[Finding]:
    """The finding a diagnostic points at: same code and line, nearest column
    (flake8 reports a byte column, LSP counts characters: both are tried)."""
    on_line = [f for f in findings if f.code == code and f.site.line == line]
    if not on_line:
        return None
    return min(on_line, key=lambda f: min(abs(f.site.col - character),
                                          abs(f.site.char_col - character)))


def code_actions(path: str, uri: str, source: str,
                 diagnostics: Sequence[Mapping[str, Any]]) -> List[Json]:
    """Quick fixes for the HWR ``diagnostics`` of the buffer ``source`` of ``path``."""
    wanted = [(d, c) for d in diagnostics if (c := _code_of(d)) is not None]
    if not wanted:
        return []
    try:
        data, encoding = _buffer_bytes(source)
        root, findings = _findings(path, data)
    except (SyntaxError, ValueError, UnicodeError, FileError, RecursionError) as exc:
        LOG.debug("hotwrap: no quick fix for %s: %s", path, exc)
        return []
    if not findings:
        return []
    target = default_target(root)
    actions: List[Json] = []
    done = set()
    for diagnostic, code in wanted:
        line, character = _pos(diagnostic.get("range", {}).get("start", {}))
        finding = _pick(findings, code, line + 1, character)
        if finding is None:
            continue
        site = (finding.site.line, finding.site.char_col)
        if site in done:
            continue
        done.add(site)
        try:
            result = rewrite_source(data, [site], target=target, unsafe=False, filename=path)
        except (RewriteError, SyntaxError, ValueError, RecursionError) as exc:
            LOG.debug("hotwrap: cannot rewrite %s:%s: %s", path, site[0], exc)
            continue
        except Exception as exc:  # noqa: BLE001 - libcst's ParserSyntaxError and friends
            LOG.debug("hotwrap: cannot rewrite %s:%s: %s", path, site[0], exc)
            continue
        if not result.changed or not all(r.status is Status.FIXED for r in result.sites):
            continue  # unsafe or unfixable: the fixer would not touch it either
        new_text = result.source.decode(encoding)
        actions.append({
            "title": TITLE,
            "kind": "quickfix",
            "diagnostics": [dict(diagnostic)],
            "isPreferred": True,
            "edit": {"changes": {uri: [_line_edit(source, new_text)]}},
        })
    return actions


@hookimpl
def pylsp_code_actions(config: Any, workspace: Any, document: Any, range: Any,
                       context: Any) -> List[Json]:
    """pylsp hook: quick fixes for the HWR diagnostics the client sent in ``context``."""
    path = getattr(document, "path", None)
    if not path:
        return []
    diagnostics = [d for d in (context or {}).get("diagnostics", [])
                   if isinstance(d, dict) and _overlaps(d.get("range", {}), range or {})]
    try:
        return code_actions(os.path.abspath(path), document.uri, document.source, diagnostics)
    except Exception:  # noqa: BLE001 - a plugin must never take the language server down
        LOG.exception("hotwrap: code action failed for %s", path)
        return []
