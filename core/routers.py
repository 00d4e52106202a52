from rest_framework.routers import SimpleRouter


class OptionalSlashRouter(SimpleRouter):
    """Serves every route with and without its trailing slash, with no redirect.

    DRF's `trailing_slash` argument is a boolean, so the pattern is set after init.
    """

    def __init__(self):
        super().__init__()
        self.trailing_slash = "/?"
