"""Public participation: consultations on drafts with published feedback, questions and
answers (互动交流), and the staff ledger of responses to public concerns (回应关切)."""
