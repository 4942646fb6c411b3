"""Plain Python shapes of what the department says: texts, form fields,
services and the errors a call may return.

They mirror the WIT types of `mitra:plugin` but import nothing generated, so
the rules and the catalogue run (and are unit-tested) in a native Python;
`app.py` turns them into the WIT types at the component's edge.
"""

from dataclasses import dataclass, field
from typing import List, NamedTuple, Optional, Tuple


class T(NamedTuple):
    """A text in English, Telugu and Hindi (English is required)."""

    en: str
    te: Optional[str] = None
    hi: Optional[str] = None


@dataclass
class Field:
    """One question of a form. `kind` is a WIT field-kind name."""

    id: str
    label: T
    kind: str
    hint: Optional[T] = None
    required: bool = True
    # choice
    options: List[Tuple[str, T]] = field(default_factory=list)
    # number
    min: Optional[float] = None
    max: Optional[float] = None
    integer: bool = False
    # text
    min_length: int = 1
    max_length: int = 100
    # date: "any", "today-or-earlier" or "today-or-later"
    date_rule: str = "any"


def aadhaar(id: str = "aadhaar") -> Field:
    return Field(id, T("Farmer's Aadhaar number", "రైతు ఆధార్ సంఖ్య", "किसान का आधार नंबर"), "aadhaar")


def choice(id: str, label: T, options: List[Tuple[str, T]], hint: Optional[T] = None) -> Field:
    return Field(id, label, "choice", hint=hint, options=options)


def number(id: str, label: T, lo: float, hi: float, integer: bool = False, hint: Optional[T] = None) -> Field:
    return Field(id, label, "number", hint=hint, min=lo, max=hi, integer=integer)


def text(id: str, label: T, lo: int, hi: int, hint: Optional[T] = None) -> Field:
    return Field(id, label, "text", hint=hint, min_length=lo, max_length=hi)


def date(id: str, label: T, rule: str, hint: Optional[T] = None) -> Field:
    return Field(id, label, "date", hint=hint, date_rule=rule)


def photo(id: str, label: T, hint: Optional[T] = None) -> Field:
    return Field(id, label, "photo", hint=hint)


@dataclass
class Service:
    id: str
    title: T
    description: T
    keywords: Tuple[List[str], List[str], List[str]]
    form: List[Field]
    # "instant-document", "application", "information", "booking" or "payment"
    delivery: str
    sla_days: int = 0
    fee_paise: int = 0
    category: str = "agriculture"


@dataclass
class Department:
    id: str
    name: T
    services: List[Service]


class PluginFailure(Exception):
    """An error returned on purpose; `kind` names the WIT plugin-error case."""

    kind = "other"

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class NotFound(PluginFailure):
    kind = "not-found"


class InvalidInput(PluginFailure):
    kind = "invalid-input"


class Unavailable(PluginFailure):
    kind = "unavailable"


class Unsupported(PluginFailure):
    kind = "unsupported"
