"""Public routes: `/consultations/…` and `/interaction/…`, one module each."""
