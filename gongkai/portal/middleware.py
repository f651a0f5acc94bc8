class ChineseFirstMiddleware:
    """Serve Chinese unless the visitor chose English with the language switch.

    Office machines often send `Accept-Language: en-US` for users who read Chinese; a browser
    default is not a choice, so only the language cookie (set by /i18n/setlang/) counts.
    Goes before LocaleMiddleware.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)
