import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zoneguard.settings")
application = get_wsgi_application()

# What start-up created lives as long as the worker: keep it out of the garbage collector's scans,
# which otherwise walk it again and again while requests allocate.
gc.freeze()
