"""Every write of public participation goes through these services (one module per part).

Views and the API import the part they need: `from gongkai.participation.services import
consultations`.
"""
