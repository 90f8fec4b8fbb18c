"""Unit names as people write them: 市发改委, 市发展改革委 and 市发展和改革委员会 are one department.

A name resolves to its canonical form from three sources, the most specific first:

1. a user file (`--aliases FILE`, YAML or CSV): exact names, `canonical: [alias, …]`;
2. what the document itself declares: `上海市发展和改革委员会（以下简称“市发改委”）`;
3. the built-in table `data/unit_aliases.yaml` of department bodies (发展改革委 ↔ 发改委 ↔
   发展和改革委员会), applied under any level prefix (市, 省, 区, 县, 国家, 上海市, 浦东新区 …)
   which is kept as written, so 市发改委 → 市发展改革委 while 区发改委 → 区发展改革委.

A name no source knows is its own canonical form. Nothing is matched fuzzily: 市教育局 and
市体育局 differ by one character and stay two units.
"""
from __future__ import annotations

import csv
import functools
import io
from pathlib import Path
from typing import Iterable, Mapping

from .patterns import rx as regex   # regex.compile without importing `regex` for a stored pattern (patterns/rx.py)

DATA = Path(__file__).parent / "data" / "unit_aliases.yaml"

# A level prefix ends in one of these (上海市, 浦东新区, 各区, 国家, 某某街道, 各县（市、区）).
LEVEL_ENDS = ("省", "市", "区", "县", "州", "旗", "盟", "乡", "镇", "国家", "街道", "）")

# A declared short name: 全称（以下简称“简称”） · （简称"X"） · (以下简称:X)
DECLARED_RE = regex.compile(
    r"(?P<full>[^\s，,。；;：:、“”\"‘’（）()《》]{2,40})"
    r"[（(]\s*(?:以下)?简称\s*[：:]?\s*[“\"‘「]?(?P<short>[^“”\"‘’「」（）()，,。；;\s]{1,20})[”\"’」]?\s*[）)]"
)
# Words that open the phrase before a declared name but are not part of the name.
LEADING_WORDS_RE = regex.compile(r"^(?:由|经|在|对|请|会同|联合|依托|成立|组建|设立|建立|和|与|及|同|根据|按照)+")
# Ends of a department's name (a declared short name for anything else is not a unit alias).
ORG_ENDS = ("局", "厅", "委", "部", "办", "会", "院", "署", "行", "室", "中心", "政府", "集团", "公司")


SPACES_RE = regex.compile(r"[\s\u3000]+")


def clean(name: str) -> str:
    """The lookup form of a name: no spaces (ASCII, U+3000), ASCII brackets as fullwidth."""
    return SPACES_RE.sub("", name).replace("(", "（").replace(")", "）")


def load_table(path: Path = DATA) -> dict[str, list[str]]:
    """The built-in table: canonical body -> its other forms."""
    import yaml

    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return {str(k): [str(a) for a in (v or [])] for k, v in data.items()}


@functools.lru_cache(maxsize=1)
def builtin_bodies() -> dict[str, str]:
    """Every form of a body (canonical ones included) -> its canonical body."""
    table = load_table()
    forms: dict[str, str] = {}
    for canonical, aliases in table.items():
        forms[canonical] = canonical
        for a in aliases:
            forms[a] = canonical
    return forms


def split_level(name: str, bodies: Mapping[str, str]) -> tuple[str, str] | None:
    """(prefix, body) for the longest known body the name ends with, where what comes before it
    is empty or a level prefix; None if no known body fits."""
    for i in range(len(name)):
        body = name[i:]
        if body in bodies:
            prefix = name[:i]
            if not prefix or prefix.endswith(LEVEL_ENDS):
                return prefix, body
    return None


def declared_aliases(text: str) -> dict[str, str]:
    """Short names a document declares for a department: short -> the full name as written."""
    found: dict[str, str] = {}
    for m in DECLARED_RE.finditer(text):
        full = LEADING_WORDS_RE.sub("", m.group("full"))
        short = m.group("short")
        if len(full) > len(short) and full.endswith(ORG_ENDS) and short.endswith(ORG_ENDS):
            found.setdefault(clean(short), clean(full))
    return found


def load_user_file(path: str | Path) -> dict[str, str]:
    """A user's alias file: alias -> canonical, both exact names.

    YAML: a mapping `canonical: [alias, …]` (or `canonical: alias`), or a list of
    `{canonical: …, aliases: […]}`. CSV: each row `canonical,alias,alias…`; a first row whose
    first cell is `canonical` is a header. Raises ValueError with a one-line reason.
    """
    p = Path(path)
    try:
        raw = p.read_text(encoding="utf-8-sig")
    except OSError as e:
        raise ValueError(f"{path}: {e.strerror or e}") from None
    except UnicodeDecodeError:
        raise ValueError(f"{path}: not UTF-8 text") from None
    groups: list[tuple[str, list[str]]] = []
    if p.suffix.lower() == ".csv":
        for i, row in enumerate(csv.reader(io.StringIO(raw))):
            cells = [c.strip() for c in row if c.strip()]
            if not cells or (i == 0 and cells[0].lower() == "canonical"):
                continue
            groups.append((cells[0], cells[1:]))
    else:
        import yaml

        try:
            data = yaml.safe_load(raw)
        except yaml.YAMLError as e:
            raise ValueError(f"{path}: not valid YAML ({str(e).splitlines()[0]})") from None
        if isinstance(data, dict):
            for k, v in data.items():
                groups.append((str(k), [str(v)] if isinstance(v, str) else [str(a) for a in (v or [])]))
        elif isinstance(data, list):
            for item in data:
                if not isinstance(item, dict) or "canonical" not in item:
                    raise ValueError(f"{path}: each list item needs a 'canonical' key and an 'aliases' list")
                aliases = item.get("aliases") or []
                groups.append((str(item["canonical"]), [aliases] if isinstance(aliases, str) else [str(a) for a in aliases]))
        elif data is not None:
            raise ValueError(f"{path}: expected a mapping 'canonical: [aliases]' or a list of groups")
    table: dict[str, str] = {}
    for canonical, aliases in groups:
        canonical = clean(canonical)
        for a in [canonical, *aliases]:
            a = clean(a)
            if a and table.get(a, canonical) != canonical:
                raise ValueError(f"{path}: {a!r} is given for both {table[a]!r} and {canonical!r}")
            if a:
                table[a] = canonical
    return table


class Aliases:
    """Resolves unit names to canonical names; `canonical(name)` is idempotent."""

    def __init__(self, user: Mapping[str, str] | None = None, declared: Mapping[str, str] | None = None,
                 bodies: Mapping[str, str] | None = None):
        self.user = dict(user or {})
        self._seen: dict[str, str] = {}   # name as written -> canonical (a document repeats its units)
        self.bodies = builtin_bodies() if bodies is None else dict(bodies)
        # a declared pair (short -> full) resolves both names to one canonical form: the short
        # name's built-in form when the table knows it (市发改委 -> 市发展改革委, as the other
        # notes write it), else the full name's (市工强办 -> 市工业强市建设领导小组办公室)
        self.declared: dict[str, str] = {}
        for short, full in (declared or {}).items():
            known = self._builtin(short)
            canonical = self.user.get(full) or (known if known != short else self._builtin(full))
            self.declared[short] = canonical
            self.declared.setdefault(full, canonical)

    @classmethod
    def for_text(cls, text: str, user: Mapping[str, str] | None = None) -> "Aliases":
        """The resolver for one document: its declared short names, the user's, the built-in table."""
        return cls(user=user, declared=declared_aliases(text))

    def _builtin(self, name: str) -> str:
        split = split_level(name, self.bodies)
        if split is None:
            return name
        prefix, body = split
        return prefix + self.bodies[body]

    def canonical(self, name: str) -> str:
        known = self._seen.get(name)
        if known is None:
            known = self._seen[name] = self._canonical(name)
        return known

    def _canonical(self, name: str) -> str:
        n = clean(name)
        if n in self.user:
            return self.user[n]
        if n in self.declared:
            return self.declared[n]
        return self._builtin(n)

    def same(self, a: str, b: str) -> bool:
        return self.canonical(a) == self.canonical(b)

    def matches(self, query: str, name: str) -> bool:
        """`--unit QUERY`: the query is part of the name as written, or its canonical form is part
        of the name's canonical form (发改委 matches 市发展改革委; 教育局 never matches 市体育局)."""
        q = clean(query)
        if not q:
            return False
        return q in clean(name) or self.canonical(q) in self.canonical(name)


def canonical_all(names: Iterable[str], aliases: Aliases) -> list[str]:
    """Canonical names in order, each once."""
    seen: dict[str, None] = {}
    for n in names:
        seen.setdefault(aliases.canonical(n), None)
    return list(seen)
