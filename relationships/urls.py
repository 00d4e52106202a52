from core.routers import OptionalSlashRouter
from relationships.views import RelationshipViewSet

router = OptionalSlashRouter()
router.register("users", RelationshipViewSet, basename="relationship")

urlpatterns = router.urls
