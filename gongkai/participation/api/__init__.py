"""The participation API: `/api/v1/consultations` and `/api/v1/questions`."""
