"""One module per resource. A module here that defines ``router`` (a FastAPI ``APIRouter``)
is included by ``api.app.create_app`` automatically; no central list to edit."""
