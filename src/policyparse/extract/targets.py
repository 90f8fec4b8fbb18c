"""Quantitative targets (placeholder until the targets extractor lands)."""
from __future__ import annotations

from dataclasses import dataclass, field

from ..model import Target


@dataclass
class Found:
    targets: list[Target] = field(default_factory=list)
    horizon_year: int | None = None


def find(source, folded, lines, nodes, head) -> Found:
    return Found()
