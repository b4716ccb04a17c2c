"""Serve a few requests through Django's test client: ``python smoke_check.py``."""
import os


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "notes_site.settings")
    import django

    django.setup()
    from django.test import Client
    from django.urls import resolve

    # enforce_csrf_checks: the POST passes only because wraps copied the
    # csrf_exempt mark from the inner view into the wrapper's __dict__
    client = Client(enforce_csrf_checks=True)
    key = {"HTTP_X_API_KEY": "let-me-in"}
    assert client.get("/api/health/").json() == {"status": "ok"}
    assert client.get("/api/notes/").status_code == 401
    assert len(client.get("/api/notes/", **key).json()["notes"]) == 2
    created = client.post("/api/notes/", data={"title": "t", "body": "b"},
                          content_type="application/json", **key)
    assert created.status_code == 201, created.content
    assert client.get("/api/notes/3/").status_code == 401
    detail = client.get("/api/notes/3/", **key)
    assert detail.json()["title"] == "t" and detail["Cache-Control"] == "no-store"
    assert client.get("/api/notes/99/", **key).status_code == 404
    export = client.get("/api/notes/export.csv")
    assert export["Cache-Control"] == "no-store" and export.content.startswith(b"id,title")
    # wraps/update_wrapper kept the view names Django shows in resolver matches
    assert resolve("/api/notes/").func.__name__ == "note_list"
    assert resolve("/api/notes/export.csv").func.__name__ == "export_csv"
    print("django_service: ok")


if __name__ == "__main__":
    main()
