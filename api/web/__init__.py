"""The web page: Jinja2 templates, a little CSS and vanilla JS."""
