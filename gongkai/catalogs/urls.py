"""Public routes of the standard disclosure catalogs, mounted at /catalogs/."""

app_name = "catalogs"
urlpatterns: list = []
