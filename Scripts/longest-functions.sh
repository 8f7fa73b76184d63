#!/usr/bin/env bash
# Prints the longest functions of the Swift and C sources (file:line, lines, name) and fails
# when one is longer than the limit: a function longer than a screen usually does several
# jobs, and a run of a hundred lines is where a change starts to cost more than it should.
#
#   bash Scripts/longest-functions.sh                 # Sources/, the ten longest, limit 100
#   bash Scripts/longest-functions.sh --top 20 --max 80 Sources/hebbian-cli
#   bash Scripts/longest-functions.sh --self-check    # the brace matcher on tricky inputs
#
# Lines are counted from the line of the declaration (`func`, `init`, `deinit`, `subscript`;
# in C the first line of the signature) to the line of its closing brace, both included.
# Braces inside string literals (interpolations included), character literals, comments and
# C preprocessor lines are not counted.
set -euo pipefail
cd "$(dirname "$0")/.."
exec python3 - "$@" <<'PYTHON'
import os
import re
import sys


def mask_swift(src):
    """The source with comments and string literal text replaced by spaces (newlines kept);
    the code of string interpolations is kept, so a closure inside one still balances."""
    out = list(src)
    n = len(src)
    i = 0
    # Each entry: ("code", open parens) inside an interpolation, or ("str", hashes, multiline).
    stack = [("code", 0)]

    def blank(a, b):
        for k in range(a, b):
            if out[k] != "\n":
                out[k] = " "

    while i < n:
        top = stack[-1]
        c = src[i]
        if top[0] == "code":
            if src.startswith("//", i):
                j = src.find("\n", i)
                j = n if j < 0 else j
                blank(i, j)
                i = j
            elif src.startswith("/*", i):
                depth, j = 1, i + 2
                while j < n and depth:
                    if src.startswith("/*", j):
                        depth, j = depth + 1, j + 2
                    elif src.startswith("*/", j):
                        depth, j = depth - 1, j + 2
                    else:
                        j += 1
                blank(i, j)
                i = j
            elif c == "#" or c == '"':
                m = re.compile(r'(#*)("""|")').match(src, i)
                if m is None:
                    i += 1
                    continue
                hashes, quote = len(m.group(1)), m.group(2)
                blank(i, m.end())
                stack.append(("str", hashes, quote == '"""'))
                i = m.end()
            elif c == "(":
                stack[-1] = ("code", top[1] + 1)
                i += 1
            elif c == ")":
                if len(stack) > 1 and top[1] == 0:
                    # The end of an interpolation: back into its string.
                    out[i] = " "
                    stack.pop()
                else:
                    stack[-1] = ("code", top[1] - 1)
                i += 1
            else:
                i += 1
        else:
            _, hashes, multiline = top
            escape = "\\" + "#" * hashes
            close = ('"""' if multiline else '"') + "#" * hashes
            if src.startswith(escape + "(", i):
                blank(i, i + len(escape) + 1)
                i += len(escape) + 1
                stack.append(("code", 0))
            elif src.startswith(escape, i):
                blank(i, min(n, i + len(escape) + 1))
                i += len(escape) + 1
            elif src.startswith(close, i):
                blank(i, i + len(close))
                i += len(close)
                stack.pop()
            else:
                if c != "\n":
                    out[i] = " "
                i += 1
    return "".join(out)


def mask_c(src):
    """The source with comments, string and character literals and preprocessor lines
    replaced by spaces (newlines kept)."""
    out = list(src)
    n = len(src)
    i = 0
    line_start = True

    def blank(a, b):
        for k in range(a, b):
            if out[k] != "\n":
                out[k] = " "

    while i < n:
        c = src[i]
        if line_start and c in " \t":
            i += 1
            continue
        if line_start and c == "#":
            j = i
            while j < n:
                if src[j] == "\n" and src[j - 1] != "\\":
                    break
                if src.startswith("/*", j):
                    e = src.find("*/", j + 2)
                    j = n if e < 0 else e + 2
                    continue
                j += 1
            blank(i, j)
            i = j
            continue
        line_start = c == "\n"
        if src.startswith("//", i):
            j = src.find("\n", i)
            j = n if j < 0 else j
            blank(i, j)
            i = j
        elif src.startswith("/*", i):
            j = src.find("*/", i + 2)
            j = n if j < 0 else j + 2
            blank(i, j)
            i = j
        elif c == '"' or c == "'":
            j = i + 1
            while j < n and src[j] != c and src[j] != "\n":
                j += 2 if src[j] == "\\" else 1
            blank(i, min(n, j + 1))
            i = j + 1
        else:
            i += 1
    return "".join(out)


def matching_brace(text, open_at):
    depth = 0
    for k in range(open_at, len(text)):
        if text[k] == "{":
            depth += 1
        elif text[k] == "}":
            depth -= 1
            if depth == 0:
                return k
    return None


SWIFT_DECL = re.compile(
    r"(?<![.\w])(?:func\s+(?P<func>[^\s(<]+)|(?P<init>init[?!]?)(?=\s*[(<])|(?P<other>deinit|subscript)\b)"
)
SWIFT_TYPE = re.compile(r"(?<![.\w])(?:struct|enum|class|actor|extension|protocol)\s+(?P<name>[A-Za-z_][\w.]*)")


def swift_functions(text):
    types = []
    for m in SWIFT_TYPE.finditer(text):
        brace = text.find("{", m.end())
        end = matching_brace(text, brace) if brace >= 0 else None
        if end is not None:
            types.append((m.start(), end, m.group("name")))
    decls = list(SWIFT_DECL.finditer(text))
    for index, m in enumerate(decls):
        limit = decls[index + 1].start() if index + 1 < len(decls) else len(text)
        # The body's brace: the first at bracket depth 0 before the next declaration; none for
        # a protocol requirement.
        depth, body = 0, None
        for k in range(m.end(), limit):
            ch = text[k]
            if ch in "([":
                depth += 1
            elif ch in ")]":
                depth -= 1
            elif depth == 0 and ch == "{":
                body = k
                break
            elif depth == 0 and ch in "};":
                break
        if body is None:
            continue
        end = matching_brace(text, body)
        if end is None:
            continue
        name = m.group("func") or m.group("init") or m.group("other")
        if m.group("init"):
            # init(restoring:): the labels tell the initialisers of one type apart.
            head = text[m.end():body]
            labels = re.findall(r"[(,]\s*(\w+)(?:\s+\w+)?\s*:", head.split("->")[0])
            name += "(" + "".join(l + ":" for l in labels) + ")"
        enclosing = [t for t in types if t[0] < m.start() and m.end() < t[1]]
        if enclosing:
            name = max(enclosing, key=lambda t: t[0])[2] + "." + name
        yield m.start(), end, name


C_HEAD = re.compile(r"([A-Za-z_]\w*)\s*\((?:[^()]|\([^()]*\))*\)\s*(?:__attribute__\s*\(\(.*?\)\)\s*)*$", re.S)


def c_functions(text):
    depth, head_start = 0, 0
    k = 0
    while k < len(text):
        ch = text[k]
        if ch == "{" and depth == 0:
            head = text[head_start:k]
            m = C_HEAD.search(head)
            end = matching_brace(text, k)
            if end is None:
                return
            stripped = head.strip()
            if m and "=" not in head and not re.match(r"(struct|union|enum)\b", stripped):
                start = head_start + (len(head) - len(head.lstrip()))
                yield start, end, m.group(1)
            k = end + 1
            head_start = k
            continue
        if ch in ";}" and depth == 0:
            head_start = k + 1
        k += 1


def line_of(text, offset):
    return text.count("\n", 0, offset) + 1


def scan(path):
    with open(path, encoding="utf-8", errors="replace") as f:
        src = f.read()
    if path.endswith(".swift"):
        text, found = mask_swift(src), None
        found = swift_functions(text)
    else:
        text = mask_c(src)
        found = c_functions(text)
    for start, end, name in found:
        first, last = line_of(text, start), line_of(text, end)
        yield path, first, last - first + 1, name


def self_check():
    swift = '''
struct A {
  func f() {
    let s = "{ not a brace"
    let t = "\\(g { 1 }) }"
    let u = #"raw "{" \\( }"#
    let v = """
      { {
      """
    /* { /* nested { */ */
    // }
  }
  init(restoring file: Int, at: Int) throws {
  }
}
protocol P { func r() }
'''
    got = sorted((n, e - s) for s, e, n in ((line_of(swift, a), line_of(swift, b), n) for a, b, n in swift_functions(mask_swift(swift))))
    want = [("A.f", 9), ("A.init(restoring:at:)", 1)]
    c = '''
#define M(x) { x }
static int g(int a) {
  const char *s = "}{";
  char c = '}';
  /* } */
  return a;
}
struct S { int x; };
static const int t[2] = { 1, 2 };
'''
    cgot = [(n, line_of(c, e) - line_of(c, s)) for s, e, n in c_functions(mask_c(c))]
    cwant = [("g", 5)]
    ok = got == want and cgot == cwant
    print("swift", got, "c", cgot, "ok" if ok else "MISMATCH")
    return 0 if ok else 1


def main(argv):
    top, limit, roots = 10, 100, []
    args = iter(argv)
    for a in args:
        if a == "--self-check":
            return self_check()
        elif a == "--top":
            top = int(next(args))
        elif a == "--max":
            limit = int(next(args))
        else:
            roots.append(a)
    rows = []
    for root in roots or ["Sources"]:
        for folder, _, files in os.walk(root):
            for name in sorted(files):
                if name.endswith((".swift", ".c", ".h")):
                    rows.extend(scan(os.path.join(folder, name)))
    rows.sort(key=lambda r: (-r[2], r[0], r[1]))
    for path, line, length, name in rows[:top]:
        print("%-60s %5d  %s" % ("%s:%d" % (path, line), length, name))
    over = [r for r in rows if r[2] > limit]
    print("%d functions, %d over %d lines" % (len(rows), len(over), limit))
    for path, line, length, name in over[top:]:
        print("%-60s %5d  %s" % ("%s:%d" % (path, line), length, name))
    return 1 if over else 0


sys.exit(main(sys.argv[1:]))
PYTHON
