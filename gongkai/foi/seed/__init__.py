"""Synthetic disclosure requests in volume (`gongkai seed --requests N`, the benchmarks).

`vocabulary` holds who asks and what for; `volume` plans each request's history and
bulk-loads them. The demo's handful of requests, made through the services, is in
`gongkai.foi.demo`.
"""

from .vocabulary import credit_code, make_applicant, person_name, resident_id
from .volume import compute_deadline, requests_seed, stored_due_date

__all__ = [
    "compute_deadline",
    "credit_code",
    "make_applicant",
    "person_name",
    "requests_seed",
    "resident_id",
    "stored_due_date",
]
