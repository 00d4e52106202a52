from core.routers import OptionalSlashRouter
from votes.views import VoteViewSet

router = OptionalSlashRouter()
router.register("votes", VoteViewSet, basename="vote")

urlpatterns = router.urls
