from django.urls import path

from . import views
from .decorators import no_store

urlpatterns = [
    path("health/", views.health),
    path("notes/", views.note_list),
    path("notes/<int:pk>/", views.NoteDetail.as_view()),
    path("notes/export.csv", no_store(views.export_csv)),
]
