from __future__ import annotations

import re

from .phrases import Group
from .text import Text


_AVERAGE_AFTER = re.compile(
    r"^\s*(?:average\b|\)?\s*(?:[\w@\-]+\s+){0,3}?(?:(?:on|in)\s+average|averaged)\b)", re.IGNORECASE)

_NUMBER_IN_TEXT = re.compile(r"(?<![\w@.\-])\d[\d.,]*(?:\s*(?:%|\\%|x|×|points?))?")

_AVERAGE_WORD = re.compile(r"\b(?:average|averaged|avg)\b", re.IGNORECASE)

def average_qualifier(text: Text, group: Group) -> None:
    """"improving average accuracy by 4.4%", "by 1.2% on average": the number is an average."""
    abstract = text.abstract
    after = abstract[group.end:min(group.end + 50, text.ends[group.sentence])]
    lead = abstract[text.clause_start(group.start):group.start]
    # An "average" before an earlier number belongs to that number: "62.8 on average, 1.9 points above".
    numbers_in_lead = list(_NUMBER_IN_TEXT.finditer(lead))
    if numbers_in_lead:
        lead = lead[numbers_in_lead[-1].end():]
        own = _AVERAGE_AFTER.match(lead)
        if own:
            lead = lead[own.end():]
    written_after = bool(_AVERAGE_AFTER.match(after))
    if written_after or _AVERAGE_WORD.search(" ".join(lead.split()[-6:])):
        for member in group.members:
            if member.qualifier is None:
                member.qualifier, member.qualifier_after = "average", written_after
