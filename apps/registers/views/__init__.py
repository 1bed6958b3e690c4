"""Views of the registers: parse the request, call a selector or a service, render.

One module per register kind (``hotspots``, ``crimecases``, ``cultivation``) on the bases in
``base``; ``urls.py`` routes each kind's module, so a new kind is one module and its routes.
"""
