"""The states of a county's month and the moves between them: who may make each move, from where.

Modelled on DHIS2's data approval (approve, unapprove, accept, unaccept; data approved at a level
is locked below it) and FineReport's 多级上报 (fill, review, return, resubmit), cut down to this
association's two levels: a county's figures are approved by its prefecture (市州) and accepted by
the province (省). A county month with no row in the store is *not started*.

    not_started ──submit──► submitted ──approve──► approved ──accept──► accepted
                              ▲   │                   │  ▲                 │
                 submit ──────┘   └──return──► returned  └──withdraw───────┘
                  (returned, or approved: new figures void an approval)

Roles reuse analytics/auth: an analyst (or admin) submits, returns and approves the counties of
its scope (a prefecture's analyst: its own counties only; the province's: all); only an admin of
the province accepts a month or withdraws an acceptance. An accepted month is locked: an import
that touches it is refused until the acceptance is withdrawn (analytics/ingest/run.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from analytics.auth.roles import PROVINCE_SCOPE, User, scope_allows

NOT_STARTED: Final = "not_started"
SUBMITTED: Final = "submitted"
RETURNED: Final = "returned"
APPROVED: Final = "approved"
ACCEPTED: Final = "accepted"
STATES: Final = (NOT_STARTED, SUBMITTED, RETURNED, APPROVED, ACCEPTED)
# states in which the county has handed its month in (the chase list leaves them out)
HANDED_IN: Final = frozenset({SUBMITTED, APPROVED, ACCEPTED})


@dataclass(frozen=True)
class Move:
    action: str
    sources: frozenset[str]
    target: str
    min_role: str
    province_only: bool  # only a user of the province's scope (else: any scope that holds the county)
    needs_reason: bool = False


MOVES: Final = {
    m.action: m
    for m in (
        Move("submit", frozenset({NOT_STARTED, RETURNED, APPROVED}), SUBMITTED, "analyst", False),
        Move("return", frozenset({SUBMITTED, APPROVED}), RETURNED, "analyst", False, needs_reason=True),
        Move("approve", frozenset({SUBMITTED}), APPROVED, "analyst", False),
        Move("accept", frozenset({APPROVED}), ACCEPTED, "admin", True),
        Move("withdraw", frozenset({ACCEPTED}), APPROVED, "admin", True),
    )
}
ACTIONS: Final = tuple(MOVES)
# the audit log's event of each move (analytics/audit.py: lower-case words)
AUDIT_EVENTS: Final = {
    "submit": "report_submitted",
    "return": "report_returned",
    "approve": "report_approved",
    "accept": "report_accepted",
    "withdraw": "report_acceptance_withdrawn",
}


# why a move is refused (ReportingError.code): each has its wording on the page's catalog
REFUSALS: Final = (
    "unknown_action",
    "role",
    "province_only",
    "scope",
    "state",
    "reason",
    "concurrent",
    "audit",
    "no_user",
)


class ReportingError(ValueError):
    """A move that is not allowed: ``code`` says why (for the page's catalog), the text says it in English."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


class ConcurrentChange(ReportingError):
    """Someone else moved the same county month first: read it again and decide again."""

    def __init__(self, county: str, month: str) -> None:
        super().__init__("concurrent", f"{county} {month} was changed by someone else at the same time; reload it")


def check_move(action: str, state: str, user: User, prefecture_code: str, reason: str | None) -> Move:
    """The move ``action`` from ``state`` by ``user`` on a county of ``prefecture_code``, or ReportingError."""
    move = MOVES.get(action)
    if move is None:
        raise ReportingError("unknown_action", f"unknown action {action!r}; one of {', '.join(ACTIONS)}")
    if not user.allows(move.min_role):
        raise ReportingError("role", f"{action} needs the role {move.min_role}; {user.name} is {user.role}")
    if move.province_only and user.scope != PROVINCE_SCOPE:
        raise ReportingError("province_only", f"only the province ({PROVINCE_SCOPE}) may {action}")
    if not scope_allows(user.scope, prefecture_code):
        raise ReportingError(
            "scope", f"{user.name} ({user.scope}) may not {action} a county of prefecture {prefecture_code}"
        )
    if state not in move.sources:
        raise ReportingError("state", f"cannot {action} a month that is {state}")
    if move.needs_reason and not (reason or "").strip():
        raise ReportingError("reason", f"{action} needs a reason")
    return move


def allowed_actions(state: str, user: User, prefecture_code: str) -> list[str]:
    """The moves ``user`` may make now on a county month of ``prefecture_code`` in ``state``."""
    out = []
    for action, move in MOVES.items():
        try:
            check_move(action, state, user, prefecture_code, "x" if move.needs_reason else None)
        except ReportingError:
            continue
        out.append(action)
    return out
