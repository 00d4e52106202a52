from accounts.views import AuthViewSet, UserViewSet
from core.routers import OptionalSlashRouter

router = OptionalSlashRouter()
router.register("users", UserViewSet, basename="user")
router.register("auth", AuthViewSet, basename="auth")

urlpatterns = router.urls
