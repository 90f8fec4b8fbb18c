"""Result types. Every field is documented; the JSON Schemas in schemas/ are generated from here.

Span convention: `[start, end)` character offsets into the decoded source text, after a leading
BOM is dropped and before any other normalization (CRLF counts as two characters). `start` is
inclusive, `end` exclusive, so `source[start:end]` is the spanned text.
"""
from __future__ import annotations

from typing import Literal, Optional

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from .collector import paused

Span = tuple[int, int]


def _check_span(span: Optional[Span]) -> Optional[Span]:
    if span is not None and not (0 <= span[0] <= span[1]):
        raise ValueError(f"span must satisfy 0 <= start <= end, got {list(span)}")
    return span


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Units(_Model):
    """A responsibility note: who leads, who supports, who is responsible."""

    lead: list[str] = Field(default_factory=list, description="牵头 units, as written, in order.")
    support: list[str] = Field(default_factory=list, description="配合 / 参与 units, as written, in order.")
    responsible: list[str] = Field(
        default_factory=list,
        description="责任单位 / 负责 units, or a bare list of units with no lead/support split.",
    )
    quote: str = Field("", description="The note(s) exactly as written in the source, joined by ' ' if several.")
    span: Optional[Span] = Field(None, description="[start, end) of the (last) note in the source.")

    _v = field_validator("span")(classmethod(lambda cls, v: _check_span(v)))

    def is_empty(self) -> bool:
        return not (self.lead or self.support or self.responsible)


class Section(_Model):
    """A numbered heading with its own text and its children."""

    label: str = Field(description="The outline number as written: '一、', '（一）', '1．', '（1）', '①', '第一章', '专栏1.1'; '—' for every dash bullet (---, ——, —); `span` shows the dashes as written.")
    title: str = Field(description="The heading's own words: the rest of the line, or the words before the first '。' when body text follows on the line.")
    style: str = Field(description="Numbering style: chapter, section, article, part, cn_num, cn_paren, arabic, arabic_paren, arabic_half_paren, circled, latin (a.), latin_paren (a）), decimal1, decimal2, … (1 · 1.2 · 1.2.1, by number of parts), dash, box.")
    depth: int = Field(ge=1, description="True nesting depth in this document; 1 = top level.")
    path: list[str] = Field(description="Labels (as written) from the top down to and including this one.")
    number: Optional[int] = Field(None, description="The outline number as an integer (一 → 1, ⑤ → 5); null for dashes.")
    units: Optional[Units] = Field(None, description="The responsibility note that closes this section's own text, if any.")
    span: Span = Field(description="[start, end) from the heading's first character to the end of its own text (children excluded).")
    title_span: Span = Field(description="[start, end) of the title in the source.")
    text: str = Field("", description="The section's own body text (after the title, before the first child), as in the source.")
    children: list["Section"] = Field(default_factory=list, description="Sub-sections, in document order.")

    _v = field_validator("span", "title_span")(classmethod(lambda cls, v: _check_span(v)))


class Target(_Model):
    """A quantitative target: a number the document says should be reached, kept, cut or done."""

    raw: str = Field(description="The number as written with its unit word: '19万亿元', '3-5个百分点'.")
    value: float = Field(allow_inf_nan=False, description="Normalized to the base unit (19万亿元 → 1.9e13 元; 10% → 10 %); a range gives its low end.")
    value_max: Optional[float] = Field(None, allow_inf_nan=False, description="A range's high end, else null.")
    unit: str = Field(description="Base measure word: '%', '百分点', '元', '吨', '户', '个', '家', '项', '倍'…; '' if none.")
    comparator: Literal[">=", "<=", "~", "=", ">", "<"] = Field(
        "=", description="From the modifiers: 以上/超过/突破/不低于 → '>='; 以下/以内/不超过/控制在 → '<='; 左右/约 → '~'; else '='."
    )
    year: Optional[int] = Field(None, description="The year by which it is to be met, stated or carried from context.")
    year_source: Optional[Literal["stated", "carried", "period", "horizon"]] = Field(
        None, description="Where `year` came from: the clause itself, the paragraph/lead-in/heading, a named plan period (十二五), or the document's overall horizon."
    )
    period: Optional[tuple[int, int]] = Field(None, description="A plan period the target belongs to, e.g. [2011, 2015] for 十二五.")
    baseline_year: Optional[int] = Field(None, description="The comparison year (比2010年…; 较“十一五”末 → 2010).")
    annual: bool = Field(False, description="A recurring goal (每年…, 年均…).")
    direction: Optional[Literal["up", "down"]] = Field(None, description="For a change: 增长/提高 → up, 降低/减少 → down.")
    indicator: str = Field("", description="What is measured, in the document's words.")
    text: str = Field("", description="The clause the target was read from, as in the source; of a clause longer than 200 characters, the 200 around the number (`span` locates the rest).")
    span: Span = Field(description="[start, end) of `raw` in the source; source[start:end] contains raw.")
    section: list[str] = Field(default_factory=list, description="Labels of the enclosing sections, top down.")
    lead_units: list[str] = Field(default_factory=list, description="牵头 units inherited from the nearest enclosing note.")
    support_units: list[str] = Field(default_factory=list, description="配合 units inherited from the nearest enclosing note.")
    responsible_units: list[str] = Field(default_factory=list, description="责任单位 inherited from the nearest enclosing note.")
    rule: str = Field("", description="Name of the pattern that found it (shown by --explain); 'table' for a row of an indicator table.")
    attribute: Optional[str] = Field(None, description="An indicator table's 属性 cell as written (预期性 / 约束性); null outside tables.")

    _v = field_validator("span")(classmethod(lambda cls, v: _check_span(v)))

    @model_validator(mode="after")
    def _range_ordered(self) -> "Target":
        if self.value_max is not None and self.value_max < self.value:
            raise ValueError(f"value_max {self.value_max} < value {self.value}")
        return self


class TargetRow(Target):
    """A row of `policyparse targets`: a target with the document it came from."""

    document: str = Field(description="The document's `source`: the path as given.")
    title: Optional[str] = Field(None, description="The document's title, null if it has none.")


class Warning(_Model):
    """A numbering problem or other oddity; never a failure."""

    kind: Literal["gap", "repeat", "out_of_order", "other"] = Field(description="What is wrong.")
    message: str = Field(description="One line a person can act on.")
    span: Optional[Span] = Field(None, description="[start, end) of the label concerned.")


class Document(_Model):
    """One parsed policy document."""

    source: str = Field(description="The path as given (or the name passed to parse_text).")
    encoding: str = Field("utf-8", description="How the bytes were decoded: utf-8, utf-8-sig, utf-16, gb18030 (a text or web page; a page's declared encoding otherwise), utf-8 for a .docx, 'text-layer' for a PDF, or 'str' for text given directly.")
    format: str = Field("txt", description="The input's format: txt, html, docx, pdf, doc or wps; 'txt' for text given directly. Spans index the text `policyparse text FILE` prints.")
    title: Optional[str] = Field(None, description="The document's own title, multi-line titles joined; null if the text has none at its top.")
    status: Optional[str] = Field(None, description="A draft marker such as '征求意见稿', without brackets.")
    subtitle: Optional[str] = Field(None, description="A line under the title such as '——2026年1月26日在…会议上'.")
    doc_number: Optional[str] = Field(None, description="An issuing number such as '鲁政发〔2012〕12号' in the header.")
    addressee: Optional[str] = Field(None, description="The addressee line ('各市人民政府，…：', '各位代表：').")
    preamble: str = Field("", description="Body text before the first heading, as in the source.")
    horizon_year: Optional[int] = Field(None, description="The document's overall target year (到2025年 in the goals, or the end of a named plan period).")
    sections: list[Section] = Field(default_factory=list, description="Top-level headings, each with its children.")
    targets: list[Target] = Field(default_factory=list, description="Every quantitative target, in document order.")
    warnings: list[Warning] = Field(default_factory=list, description="Numbering gaps, repeats and out-of-order numbers.")

    @classmethod
    def from_json(cls, data: bytes | str) -> "Document":
        """Read a document written by `parse` (this or a later version). Fields this version
        does not know are ignored, as the contract promises fields are added; a field that is
        missing or of the wrong type is still an error (pydantic's ValidationError)."""
        import orjson

        return cls.model_validate(_known_fields(cls, orjson.loads(data)))

    def iter_sections(self):
        """All sections, depth first, in document order."""
        stack = list(reversed(self.sections))
        while stack:
            s = stack.pop()
            yield s
            stack.extend(reversed(s.children))


# Building a Document from pipeline.parse_record's data without validating it a second time.
#
# parse_file and parse_text build the models straight from the record: the record is made by
# our own code, and tests/test_records.py checks on the seeds, the dev documents and random
# texts that every record validates in strict mode and that the models built here are the
# validated ones (types, field order, fields set, values), so a wrong type or a broken span still
# fails there. Validating the tree again in pydantic-core cost ~2.6 M instructions per 33 KB
# document (about 100 models); building it here a fraction of that. A dict whose keys are not
# exactly its model's fields in declaration order (a hand-made record, or one holding
# "explained") is validated as before.

_new = object.__new__
# The setters of BaseModel's four slots (the descriptors object.__setattr__(m, name, value)
# finds for every model here; tests/test_records.py checks that it finds these), called
# directly: object.__setattr__ looks each name up in the class first, ~500 instructions a
# call; 4 a model, ~110 models a document: -0.2 M instructions per document (callgrind).
_SET_DICT = BaseModel.__dict__["__dict__"].__set__
_SET_FIELDS_SET = BaseModel.__dict__["__pydantic_fields_set__"].__set__
_SET_EXTRA = BaseModel.__dict__["__pydantic_extra__"].__set__
_SET_PRIVATE = BaseModel.__dict__["__pydantic_private__"].__set__


def _all_made(model: "type[BaseModel]", dicts) -> list:
    """[_made(model, values) for values in dicts], in one frame: a Python call fewer per model
    (~110 models a document; parse_file builds its sections and targets a list at a time)."""
    fields_set = _ALL_SET[model]
    out = []
    append = out.append
    for values in dicts:
        m = _new(model)
        _SET_DICT(m, values)
        _SET_FIELDS_SET(m, fields_set.copy())
        _SET_EXTRA(m, None)
        _SET_PRIVATE(m, None)
        append(m)
    return out


def _made(model: "type[BaseModel]", values: dict):
    """An instance of `model` whose fields are `values` (every field, in declaration order, of
    the declared types), as pydantic's validation leaves it."""
    return _all_made(model, (values,))[0]


_UNITS, _SECTION, _TARGET, _WARNING, _DOCUMENT = (tuple(m.model_fields) for m in (Units, Section, Target, Warning, Document))
# The fields set of every model _made builds: all its fields (only a record holding every field
# is built here), copied per instance from one prebuilt set. set(values) per instance cost ~4,900
# instructions (a table sized and filled from the dict), the copy ~1,700 fewer (callgrind, 10
# bench documents, ~110 models each: ~0.19 M instructions per document saved). Each instance
# keeps a set of its own, as validation gives it: one set shared by all would have saved ~0.35 M
# more, but a caller changing one model's model_fields_set in place would have changed them all.
_ALL_SET: dict[type, set[str]] = {m: set(m.model_fields) for m in (Units, Section, Target, Warning, Document)}


def _section(d: dict) -> Section:
    """A Section from a section dict, built without validation when its keys (and its units')
    are the models' fields in order (a dict made elsewhere: any other is validated)."""
    if tuple(d) != _SECTION:
        return Section.model_validate(d)
    units = d["units"]
    if units is not None:
        d["units"] = _made(Units, units) if tuple(units) == _UNITS else Units.model_validate(units)
    if d["children"]:
        d["children"] = [_section(c) for c in d["children"]]
    return _made(Section, d)


def _own_sections(dicts: list[dict]) -> list[Section]:
    """The Sections of a list of dicts pipeline._to_section made, whose keys, and their units'
    (extract/units.find), are the models' fields in order by construction, so none is checked
    (a tuple of the keys and a comparison per section and per units, ~0.13 M instructions per
    document of ~70; tests/test_records.py builds every record both ways and compares). Built a
    list at a time (_all_made): one Python call per list, not two per section; a section's
    Units is made here in line (_made's two calls per note were ~4,000 instructions)."""
    units_set = _ALL_SET[Units]
    for d in dicts:
        units = d["units"]
        if units is not None:
            m = d["units"] = _new(Units)   # _made(Units, units), written out
            _SET_DICT(m, units)
            _SET_FIELDS_SET(m, units_set.copy())
            _SET_EXTRA(m, None)
            _SET_PRIVATE(m, None)
        if d["children"]:
            d["children"] = _own_sections(d["children"])
    return _all_made(Section, dicts)


@paused
def document_from_record(record: dict, own: bool = False) -> Document:
    """What Document.model_validate(record) returns, for a record of pipeline.parse_record,
    built without validating it again (see above). Consumes the record: its dicts become the
    models' fields. `own`: the record comes straight from parse_record (pipeline.parse,
    parse_file), whose sections (pipeline._to_section), targets (extract/targets.py, the table
    rows updated in place) and warnings are dicts of the models' fields in order by
    construction, so their keys are not checked (a tuple of a target's ~22 keys and its
    comparison cost ~1,000 instructions, ~34 targets a document; tests/test_records.py builds
    every record of the seeds, the dev documents and random texts both ways and compares)."""
    if tuple(record) != _DOCUMENT:
        return Document.model_validate(record)
    if own:
        record["sections"] = _own_sections(record["sections"])
        record["targets"] = _all_made(Target, record["targets"])
        record["warnings"] = _all_made(Warning, record["warnings"])
        return _all_made(Document, (record,))[0]
    record["sections"] = [_section(s) for s in record["sections"]]
    targets = record["targets"]
    if all(map(_TARGET.__eq__, map(tuple, targets))):
        record["targets"] = _all_made(Target, targets)
    else:
        record["targets"] = [_made(Target, t) if tuple(t) == _TARGET else Target.model_validate(t) for t in targets]
    record["warnings"] = [_made(Warning, w) if tuple(w) == _WARNING else Warning.model_validate(w)
                          for w in record["warnings"]]
    return _made(Document, record)


def _nested_model(annotation) -> "type[BaseModel] | None":
    """The model a field holds (itself, in a list, or optional), if any."""
    from typing import get_args

    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in get_args(annotation):
        found = _nested_model(arg)
        if found is not None:
            return found
    return None


def _known_fields(model: "type[BaseModel]", data):
    """`data` with the keys `model` (and the models inside it) does not declare dropped."""
    if not isinstance(data, dict):
        return data          # left for validation to report
    kept = {}
    for key, value in data.items():
        field = model.model_fields.get(key)
        if field is None:
            continue
        inner = _nested_model(field.annotation)
        if inner is not None:
            if isinstance(value, list):
                value = [_known_fields(inner, v) for v in value]
            elif isinstance(value, dict):
                value = _known_fields(inner, value)
        kept[key] = value
    return kept
