from comments.views import CommentViewSet, PostCommentViewSet
from core.params import ID_PATTERN
from core.routers import OptionalSlashRouter

router = OptionalSlashRouter()
router.register(
    rf"posts/(?P<id>{ID_PATTERN})/comments", PostCommentViewSet, basename="post-comment"
)
router.register("comments", CommentViewSet, basename="comment")

urlpatterns = router.urls
