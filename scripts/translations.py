"""The app's translatable texts, read from the code's syntax tree, and the .ts kept in step.

Every ``translate("Context", "text")`` and ``QT_TRANSLATE_NOOP("Context", "text")`` of gui/**/*.py
is a message.  pylupdate5 is not used: its parser skips a call whose last
argument has a trailing comma, which is how ``ruff format`` writes a call it breaks over lines.

    python scripts/translations.py           # update gui/translations/rnnfast_ko.ts: new texts
                                             # "unfinished", gone ones dropped; then lrelease
    python scripts/translations.py --check   # exit 1 if the .ts misses a text or keeps a stale one

Translate the unfinished entries with Qt Linguist (``linguist``) or an editor, then run it
again: lrelease (``apt-get install qttools5-dev-tools``) compiles the .qm.  Both files are
committed, so running the app needs neither tool; tests/gui/test_gui_i18n.py checks them.
"""

from __future__ import annotations

import ast
import glob
import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from xml.sax.saxutils import escape, quoteattr

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TS = os.path.join(ROOT, "gui", "translations", "rnnfast_ko.ts")
FUNCTIONS = {"translate", "QT_TRANSLATE_NOOP"}


def sources(root: str = ROOT) -> list[str]:
    """The app's modules, in every room of gui/ (the lab and the Sweep view included)."""
    return sorted(glob.glob(os.path.join(root, "gui", "**", "*.py"), recursive=True))


def extract(paths) -> dict[tuple[str, str], tuple[str, int]]:
    """``{(context, text): (path, line)}`` of every message (its first place in the code)."""
    found = {}
    for path in paths:
        with open(path, encoding="utf-8") as f:
            tree = ast.parse(f.read(), path)
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or len(node.args) < 2:
                continue
            func = node.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
            ctx, text = node.args[0], node.args[1]
            if name in FUNCTIONS and all(
                isinstance(a, ast.Constant) and isinstance(a.value, str) for a in (ctx, text)
            ):
                found.setdefault((ctx.value, text.value), (path, node.lineno))
    return found


def read_ts(path: str = TS) -> dict[tuple[str, str], tuple[str, str | None]]:
    """``{(context, text): (translation, type)}`` of a .ts (type "unfinished" or None)."""
    out = {}
    for ctx in ET.parse(path).getroot():
        name = ctx.find("name").text
        for m in ctx.findall("message"):
            tr = m.find("translation")
            out[(name, m.find("source").text)] = (tr.text or "", tr.get("type"))
    return out


def write_ts(path: str, messages, translations) -> None:
    """The .ts of ``messages`` (from :func:`extract`), keeping the known ``translations``."""
    by_context = {}
    for (ctx, text), (src, line) in sorted(messages.items(), key=lambda kv: kv[1]):
        by_context.setdefault(ctx, []).append((text, src, line))
    out = ['<?xml version="1.0" encoding="utf-8"?>', "<!DOCTYPE TS>", '<TS version="2.1">']
    base = os.path.dirname(path)
    for ctx in sorted(by_context):
        out += ["<context>", f"    <name>{escape(ctx)}</name>"]
        for text, src, line in by_context[ctx]:
            rel = os.path.relpath(src, base).replace(os.sep, "/")
            tr, kind = translations.get((ctx, text), ("", "unfinished"))
            kind_attr = f" type={quoteattr(kind)}" if kind else ""
            out += [
                "    <message>",
                f'        <location filename={quoteattr(rel)} line="{line}"/>',
                f"        <source>{escape(text)}</source>",
                f"        <translation{kind_attr}>{escape(tr)}</translation>",
                "    </message>",
            ]
        out.append("</context>")
    out.append("</TS>")
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(out) + "\n")


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    messages = extract(sources())
    known = read_ts(TS)
    new, stale = sorted(set(messages) - set(known)), sorted(set(known) - set(messages))
    if "--check" in argv:
        for what, items in (("not in the .ts", new), ("stale in the .ts", stale)):
            for ctx, text in items:
                print(f"{what}: [{ctx}] {text[:80]!r}", file=sys.stderr)
        return 1 if new or stale else 0
    write_ts(TS, messages, known)
    unfinished = sum(1 for k in messages if known.get(k, ("", "unfinished"))[1] == "unfinished")
    print(
        f"{TS}: {len(messages)} messages, {len(new)} new, {len(stale)} dropped, "
        f"{unfinished} to translate"
    )
    lrelease = shutil.which("lrelease") or shutil.which("lrelease-qt5")
    if lrelease is None:
        print(
            "no lrelease (apt-get install qttools5-dev-tools): the .qm is not updated",
            file=sys.stderr,
        )
        return 1
    qm = TS[: -len(".ts")] + ".qm"
    return subprocess.run([lrelease, "-removeidentical", "-nounfinished", TS, "-qm", qm]).returncode


if __name__ == "__main__":
    sys.exit(main())
