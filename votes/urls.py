from core.routers import OptionalSlashRouter
from votes.views import LikersViewSet, VoteViewSet

router = OptionalSlashRouter()
router.register("votes", VoteViewSet, basename="vote")
router.register("posts", LikersViewSet, basename="post-likes")

urlpatterns = router.urls
