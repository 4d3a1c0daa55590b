import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zoneguard.settings")
application = get_wsgi_application()

# The URL patterns import every view and build the API's schemas: loaded now rather than on the
# first request, so that they too are frozen below.
get_resolver().url_patterns  # noqa: B018
# What start-up created lives as long as the worker: keep it out of the garbage collector's scans,
# which otherwise walk it again and again while requests allocate (a gate's 1,000-item batch
# allocates a great deal).
gc.collect()
gc.freeze()
# A young-generation scan every 10,000 allocations rather than 700: a depth-2 trace or an export
# builds some 100,000 objects, all alive until the answer is sent, and the collector's scans of
# them took a tenth of such a request.
gc.set_threshold(10_000, 10, 10)
