"""Writes of the foi app, by concern: intake, the clock (base), the handling workflow,
letters, reviews after the reply, and reminders.

Every function that changes a request runs in one transaction, locks the request row, checks
the actor's role through `orgs.permissions` (through the kernel, `core.workflow`), appends an
audit event and recomputes the due date from the clock events (`clock.compute`, on
`core.workdays`). A refused step changes nothing. Callers use this package
(`from gongkai.foi import services`), not its modules.
"""

from . import base
from .base import (
    calendar_of,
    deadline_of,
    events_of,
)
from .disclosure import (
    disclosed_files_for_applicant,
    request_disclosed_file_add,
    request_disclosed_file_remove,
)
from .handling import (
    earlier_items_this_month,
    request_archive,
    request_ask_clarification,
    request_assign,
    request_clarification_lapsed,
    request_clarification_received,
    request_consult,
    request_consultation_done,
    request_deliver,
    request_draft_reply,
    request_extend,
    request_fee_lapsed,
    request_fee_notice,
    request_fee_paid,
    request_head_approve,
    request_legal_approve,
    request_return,
    request_send,
    request_withdraw,
)
from .intake import (
    ONLINE_BASIS,
    ApplicationInput,
    Receipt,
    mask_generic,
    received_date_for,
    request_check_password,
    request_register,
    request_submit,
    source_hash_for,
    subject_key,
    submission_replay,
    track_attempt,
    validate_application,
)
from .letters import (
    letter_context,
    receipt_document,
    template_text,
)
from .reminders import (
    DeadlineCheck,
    check_deadlines,
)
from .reviews import (
    request_convert_to_proactive,
    request_correct_applicant_kind,
    review_decide,
    review_record,
)

__all__ = [
    "ONLINE_BASIS",
    "ApplicationInput",
    "DeadlineCheck",
    "Receipt",
    "calendar_of",
    "check_deadlines",
    "deadline_of",
    "disclosed_files_for_applicant",
    "earlier_items_this_month",
    "events_of",
    "letter_context",
    "mask_generic",
    "receipt_document",
    "received_date_for",
    "request_archive",
    "request_ask_clarification",
    "request_assign",
    "request_check_password",
    "request_clarification_lapsed",
    "request_clarification_received",
    "request_consult",
    "request_consultation_done",
    "request_convert_to_proactive",
    "request_correct_applicant_kind",
    "request_deliver",
    "request_disclosed_file_add",
    "request_disclosed_file_remove",
    "request_draft_reply",
    "request_extend",
    "request_fee_lapsed",
    "request_fee_notice",
    "request_fee_paid",
    "request_head_approve",
    "request_legal_approve",
    "request_register",
    "request_return",
    "request_send",
    "request_submit",
    "request_withdraw",
    "review_decide",
    "review_record",
    "source_hash_for",
    "subject_key",
    "submission_replay",
    "template_text",
    "today",
    "track_attempt",
    "validate_application",
]


def today():
    """The day the foi app believes it is; `base.today` is the one place to move it (tests)."""
    return base.today()
