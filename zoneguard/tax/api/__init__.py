"""The tax API, one module per area as the services and selectors are (policies, hall, deferrals)."""

from ninja import Router

from . import deferrals, hall, policies

router = Router(tags=["tax"])
# In the order of the document: policies, the hall, deferrals.
router.add_router("", policies.router)
router.add_router("", hall.router)
router.add_router("", deferrals.router)
