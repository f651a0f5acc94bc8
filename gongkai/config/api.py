from ninja import NinjaAPI
from ninja.errors import ValidationError

from gongkai.catalogs.api import router as catalogs_router
from gongkai.core.api import router as calendar_router
from gongkai.core.exceptions import ApplicationError
from gongkai.documents.api import categories_router
from gongkai.documents.api import router as documents_router
from gongkai.foi.api import router as foi_router
from gongkai.normative.api import router as normative_router
from gongkai.orgs.api import router as orgs_router
from gongkai.participation.api.consultations import router as consultations_router
from gongkai.participation.api.questions import router as questions_router
from gongkai.reports.api import router as reports_router

api = NinjaAPI(title="gongkai API", version="1", urls_namespace="api")
api.add_router("/calendar", calendar_router)
api.add_router("/orgs", orgs_router)
api.add_router("/documents", documents_router)
api.add_router("/categories", categories_router)
api.add_router("/foi", foi_router)
api.add_router("/normative", normative_router)
api.add_router("/reports", reports_router)
api.add_router("/consultations", consultations_router)
api.add_router("/questions", questions_router)
api.add_router("/catalogs", catalogs_router)


@api.exception_handler(ApplicationError)
def application_error(request, exc: ApplicationError):
    return api.create_response(
        request, {"detail": str(exc.message), "code": exc.code}, status=exc.status_code
    )


@api.exception_handler(ValidationError)
def validation_error(request, exc: ValidationError):
    fields = sorted({".".join(str(p) for p in e.get("loc", [])[1:]) or "?" for e in exc.errors})
    return api.create_response(
        request,
        {
            "detail": f"请求参数有误：{'、'.join(fields)}",
            "code": "invalid_params",
            "errors": exc.errors,
        },
        status=422,
    )
