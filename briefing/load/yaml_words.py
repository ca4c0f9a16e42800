"""PyYAML's own words for a syntax error, in the reader's language.

PyYAML says where it was ("while scanning a simple key") and what it found ("could not find
expected ':'") in English. Each phrase it can say is listed here, the ones with a part that
varies (a character, a token) as a pattern, and given to the catalog like every message; a
phrase not listed is passed on as PyYAML said it.
"""

from __future__ import annotations

import re

from ..i18n import N_, _

PHRASES = frozenset((
    N_("while scanning a simple key"),
    N_("while scanning a quoted scalar"),
    N_("while scanning a block scalar"),
    N_("while scanning a plain scalar"),
    N_("while scanning for the next token"),
    N_("while scanning an alias"),
    N_("while scanning an anchor"),
    N_("while scanning a tag"),
    N_("while scanning a directive"),
    N_("while parsing a block mapping"),
    N_("while parsing a block collection"),
    N_("while parsing a flow sequence"),
    N_("while parsing a flow mapping"),
    N_("while parsing a block node"),
    N_("while parsing a flow node"),
    N_("while parsing a node"),
    N_("while composing a mapping"),
    N_("could not find expected ':'"),
    N_("mapping values are not allowed here"),
    N_("mapping keys are not allowed here"),
    N_("sequence entries are not allowed here"),
    N_("found unexpected end of stream"),
    N_("found unexpected document separator"),
    N_("did not find expected key"),
    N_("did not find expected '-' indicator"),
    N_("did not find expected node content"),
    N_("but found another document"),
))

# (PyYAML's phrase with its varying part, the message it is given as)
PATTERNS = [(re.compile(pattern), message) for pattern, message in (
    (r"found character (.+) that cannot start any token", N_("found character {0} that cannot start any token")),
    (r"found undefined alias (.+)", N_("found undefined alias {0}")),
    (r"found unknown escape character (.+)", N_("found unknown escape character {0}")),
    (r"expected <block end>, but found (.+)", N_("expected <block end>, but found {0}")),
    (r"expected ',' or '\]', but got (.+)", N_("expected ',' or ']', but got {0}")),
    (r"expected ',' or '\}', but got (.+)", N_("expected ',' or '}}', but got {0}")),
    (r"expected the node content, but found (.+)", N_("expected the node content, but found {0}")),
    (r"expected a comment or a line break, but found (.+)", N_("expected a comment or a line break, but found {0}")),
    (r"expected chomping or indentation indicators, but found (.+)",
     N_("expected chomping or indentation indicators, but found {0}")),
    (r"expected alphabetic or numeric character, but found (.+)",
     N_("expected alphabetic or numeric character, but found {0}")),
    (r"expected '<document start>', but found (.+)", N_("expected '<document start>', but found {0}")),
)]

# PyYAML's names of what it found, given to the catalog too (in English they stay as they are)
TOKENS = frozenset((
    N_("'<block mapping start>'"),
    N_("'<block sequence start>'"),
    N_("'<block end>'"),
    N_("'<scalar>'"),
    N_("'<alias>'"),
    N_("'<anchor>'"),
    N_("'<tag>'"),
))


def said(phrase: str | None) -> str:
    """PyYAML's `phrase` in the reader's language ("" for none)."""
    if not phrase:
        return ""
    if phrase in PHRASES:
        return _(phrase)
    for pattern, message in PATTERNS:
        match = pattern.fullmatch(phrase)
        if match:
            return _(message).format(*(_(part) if part in TOKENS else part for part in match.groups()))
    return phrase
