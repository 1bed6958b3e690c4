#!/usr/bin/env python3
"""Architecture measures of issue 13, computed from the source tree (no Django needed).

Run from the repository root:  python scripts/dev/arch_measures.py [--json]

It reports what the issue asks to compare before and after the consolidation:
  - the largest non-migration module under apps/ (lines);
  - import cycles between apps.* modules, once with top-level imports only and once
    counting function-local ("lazy") imports too (TYPE_CHECKING blocks are ignored,
    they never run);
  - function-local imports of apps.* modules, and how many of them cross an app boundary;
  - import statements from the foundation (core, audit, accounts, areas) to the domain
    apps above it;
  - duplicated line runs in apps/ outside migrations, through the `duplicates` tool when it
    is on PATH (it reads a copy of apps/ without the migrations).
"""

from __future__ import annotations

import argparse
import ast
import json
import re
import shutil
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APPS = ROOT / "apps"
FOUNDATION = {"core", "audit", "accounts", "areas"}
DEV_ONLY = {"bench", "demo"}
_BENCH_DEMO = re.compile(r"^(benchmark.*|demo|seed_demo|demo_logins)$")


def source_files() -> list[Path]:
    return sorted(p for p in APPS.rglob("*.py") if "migrations" not in p.parts and "__pycache__" not in p.parts)


def module_name(path: Path) -> str:
    rel = path.relative_to(ROOT).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def app_of(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[0] == "apps" else None


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def imports_of(path: Path, modname: str, known: set[str]) -> list[tuple[str, bool | str]]:
    """(imported apps.* module, is_local) for every import that runs; is_local is ``"ready"`` for an
    import inside ``AppConfig.ready()`` (Django's registration idiom: models-using modules may only
    be imported once the app registry is ready, so these are never hoisted)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    is_pkg = path.name == "__init__.py"
    found: list[tuple[str, bool]] = []

    def resolve(base: str) -> str | None:
        # the longest known module that the dotted name starts with
        parts = base.split(".")
        while parts:
            cand = ".".join(parts)
            if cand in known:
                return cand
            parts.pop()
        return None

    def visit(node: ast.AST, local: bool | str) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and _is_type_checking(child):
                for sub in child.orelse:
                    visit_stmt(sub, local)
                continue
            visit_stmt(child, local)

    def visit_stmt(child: ast.AST, local: bool | str) -> None:
        if isinstance(child, ast.Import):
            for alias in child.names:
                target = resolve(alias.name)
                if target:
                    found.append((target, local))
        elif isinstance(child, ast.ImportFrom):
            if child.level:
                pkg = modname.split(".") if is_pkg else modname.split(".")[:-1]
                pkg = pkg[: len(pkg) - (child.level - 1)]
                base = ".".join(pkg + ([child.module] if child.module else []))
            else:
                base = child.module or ""
            # one statement counts once per module it reaches, however many names it takes
            targets = {resolve(f"{base}.{alias.name}") or resolve(base) for alias in child.names}
            found.extend((target, local) for target in sorted(t for t in targets if t))
        else:
            if isinstance(child, ast.FunctionDef) and child.name == "ready" and path.name == "apps.py":
                inner: bool | str = "ready"
            else:
                inner = local or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda))
            visit(child, inner)

    visit(tree, False)
    return found


def sccs(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    out: list[list[str]] = []
    counter = 0
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, it = work[-1]
            for nxt in it:
                if nxt not in index:
                    index[nxt] = low[nxt] = counter
                    counter += 1
                    stack.append(nxt)
                    on_stack.add(nxt)
                    work.append((nxt, iter(sorted(graph.get(nxt, ())))))
                    break
                if nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    comp = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        comp.append(member)
                        if member == node:
                            break
                    if len(comp) > 1:
                        out.append(sorted(comp))
    return sorted(out)


def duplicate_pairs() -> dict[str, object]:
    tool = shutil.which("duplicates")
    if not tool:
        return {"pairs": None, "note": "duplicates tool not on PATH"}
    with tempfile.TemporaryDirectory() as tmp:
        dest = Path(tmp) / "apps"
        for path in APPS.rglob("*"):
            if path.is_file() and "migrations" not in path.parts and "__pycache__" not in path.parts:
                target = dest / path.relative_to(APPS)
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(path, target)
        run = subprocess.run(  # noqa: S603 - a fixed local tool, no shell
            [tool, "--repo", str(dest), "--most", "1", "--seconds", "120"],
            capture_output=True,
            text=True,
            check=False,
        )
    first = run.stdout.splitlines()[0] if run.stdout else ""
    match = re.match(r"(\d+) pairs", first)
    return {"pairs": int(match.group(1)) if match else 0, "summary": first}


def measure(with_duplicates: bool = True) -> dict[str, object]:
    files = source_files()
    names = {module_name(p): p for p in files}
    known = set(names)
    top: dict[str, set[str]] = defaultdict(set)
    full: dict[str, set[str]] = defaultdict(set)
    local_imports = local_cross_app = ready_imports = 0
    foundation_up: list[str] = []
    to_dev_only: list[str] = []
    for mod, path in names.items():
        top.setdefault(mod, set())
        full.setdefault(mod, set())
        src_app = app_of(mod)
        for target, local in imports_of(path, mod, known):
            if target == mod:
                continue
            full[mod].add(target)
            if not local:
                top[mod].add(target)
            dst_app = app_of(target)
            if local == "ready":
                ready_imports += 1
            elif local:
                local_imports += 1
                if dst_app != src_app:
                    local_cross_app += 1
            if src_app in FOUNDATION and dst_app not in FOUNDATION | DEV_ONLY and dst_app is not None:
                foundation_up.append(f"{mod} -> {target}{' (local)' if local else ''}")
            if src_app not in DEV_ONLY and dst_app in DEV_ONLY:
                to_dev_only.append(f"{mod} -> {target}")
    sizes = sorted(((len(p.read_text(encoding="utf-8").splitlines()), module_name(p)) for p in files), reverse=True)
    result: dict[str, object] = {
        "largest_modules": [{"module": m, "lines": n} for n, m in sizes[:5]],
        "cycles_top_level": sccs(top),
        "cycles_with_local_imports": sccs(full),
        "function_local_imports": local_imports,
        "app_ready_imports": ready_imports,
        "function_local_cross_app": local_cross_app,
        "foundation_to_domain_imports": len(foundation_up),
        "foundation_to_domain_detail": sorted(foundation_up),
        "production_to_dev_only_imports": sorted(to_dev_only),
        "dev_only_lines": sum(
            len(p.read_text(encoding="utf-8").splitlines()) for m, p in names.items() if app_of(m) in DEV_ONLY
        ),
        "app_lines": sum(n for n, _ in sizes),
        "bench_demo_lines_in_production_apps": sum(
            len(p.read_text(encoding="utf-8").splitlines())
            for m, p in names.items()
            if app_of(m) not in DEV_ONLY and _BENCH_DEMO.search(m.rsplit(".", 1)[-1])
        ),
    }
    if with_duplicates:
        result["duplicates"] = duplicate_pairs()
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print the raw figures as JSON")
    parser.add_argument("--no-duplicates", action="store_true", help="skip the duplicates tool")
    args = parser.parse_args()
    result = measure(with_duplicates=not args.no_duplicates)
    if args.json:
        json.dump(result, sys.stdout, indent=2, ensure_ascii=False)
        print()
        return 0
    biggest = result["largest_modules"][0]
    print(f"largest non-migration module: {biggest['module']} ({biggest['lines']} lines)")
    for row in result["largest_modules"][1:]:
        print(f"    next: {row['module']} ({row['lines']})")
    print(f"import cycles, top-level imports only: {len(result['cycles_top_level'])}")
    print(f"import cycles, counting function-local imports: {len(result['cycles_with_local_imports'])}")
    for comp in result["cycles_with_local_imports"]:
        print("    " + " <-> ".join(comp))
    print(
        f"function-local imports of apps.*: {result['function_local_imports']}"
        f" ({result['function_local_cross_app']} cross an app boundary);"
        f" plus {result['app_ready_imports']} inside AppConfig.ready() (registrations)"
    )
    print(f"foundation (core/audit/accounts/areas) -> domain imports: {result['foundation_to_domain_imports']}")
    for line in result["foundation_to_domain_detail"]:
        print("    " + line)
    if result["production_to_dev_only_imports"]:
        print("production -> dev-only (bench/demo) imports:")
        for line in result["production_to_dev_only_imports"]:
            print("    " + line)
    print(
        f"app code: {result['app_lines']} lines; in dev-only apps: {result['dev_only_lines']};"
        f" benchmark/demo modules left in production apps: {result['bench_demo_lines_in_production_apps']}"
    )
    if "duplicates" in result:
        dup = result["duplicates"]
        print(f"duplicated line runs in apps/ outside migrations: {dup['pairs']} pairs")
        if dup.get("summary"):
            print("    " + dup["summary"])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
