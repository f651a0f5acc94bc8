from django.urls import path

from . import views

app_name = "foi"
urlpatterns = [
    path("apply/", views.apply, name="apply"),
    path("apply/done/", views.apply_done, name="apply_done"),
    path("track/", views.track, name="track"),
    path("track/withdraw/", views.track_withdraw, name="track_withdraw"),
    path("track/letters/<int:pk>.<str:fmt>", views.track_letter, name="track_letter"),
    path("track/receipt.<str:fmt>", views.track_receipt, name="track_receipt"),
    path("track/files/<int:pk>/", views.track_file, name="track_file"),
]
