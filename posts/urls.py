from core.routers import OptionalSlashRouter
from posts.views import PostViewSet

router = OptionalSlashRouter()
router.register("posts", PostViewSet, basename="post")

urlpatterns = router.urls
