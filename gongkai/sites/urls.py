"""Public routes of the register of websites and new-media accounts, mounted at /sites/."""

app_name = "sites"
urlpatterns: list = []
