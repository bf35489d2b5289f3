#!/usr/bin/env python3
"""make module-cycles: no module of a crate uses another that uses it back (directly or round a
longer loop). Reads `crate::x` and `super::x` paths in each file (comments and test modules left
out), per top-level module of each crate under crates/; exits 1 naming each loop found.

  scripts/check_module_cycles.py [CRATES_DIR]
"""
import os, re, sys
root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "crates")
def modules(crate_src):
    mods = {}
    for dirpath, _, files in os.walk(crate_src):
        for f in files:
            if not f.endswith(".rs"): continue
            path = os.path.join(dirpath, f)
            rel = os.path.relpath(path, crate_src)[:-3].replace(os.sep, "::")
            rel = re.sub(r"(::)?mod$", "", rel)
            if rel in ("lib", "main"): rel = ""
            mods[rel] = path
    return mods
def top(name):  # first path segment
    return name.split("::")[0] if name else ""
cycles_found = False
for crate in sorted(os.listdir(root)):
    src = os.path.join(root, crate, "src")
    if not os.path.isdir(src): continue
    mods = modules(src)
    edges = {}
    for m, path in mods.items():
        text = open(path).read()
        text = text.split("#[cfg(test)]")[0]  # ignore test modules
        text = "\n".join(l for l in text.split("\n") if not l.strip().startswith("//"))
        t = top(m)
        deps = set()
        for dep in re.findall(r"\bcrate::([a-z_][a-z0-9_]*)", text):
            deps.add(dep)
        if "::" in m:  # super:: inside a submodule refers to parent's siblings
            parent = m.rsplit("::", 1)[0]
            for dep in re.findall(r"\bsuper::([a-z_][a-z0-9_]*)", text):
                deps.add(top(parent) if parent else dep)
        else:
            for dep in re.findall(r"\bsuper::([a-z_][a-z0-9_]*)", text):
                deps.add(dep)
        deps.discard(t)
        if t:
            edges.setdefault(t, set()).update(d for d in deps if d in {top(x) for x in mods})
    # find cycles among top-level modules
    state = {}
    stack = []
    def dfs(n):
        global cycles_found
        state[n] = 1; stack.append(n)
        for d in sorted(edges.get(n, ())):
            if state.get(d) == 1:
                print(f"{crate}: cycle {' -> '.join(stack[stack.index(d):] + [d])}"); cycles_found = True
            elif d not in state:
                dfs(d)
        stack.pop(); state[n] = 2
    for n in sorted(edges):
        if n not in state: dfs(n)
if cycles_found:
    sys.exit(1)
print("no module cycles")
