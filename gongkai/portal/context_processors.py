from django.conf import settings

TEXT_SIZE_COOKIE = "gk_text"


def site(request):
    return {
        "site_name": settings.GONGKAI_SITE_NAME,
        "site_owner": settings.GONGKAI_SITE_OWNER,
        "site_icp": settings.GONGKAI_SITE_ICP,
        "large_text": request.COOKIES.get(TEXT_SIZE_COOKIE) == "large",
    }
