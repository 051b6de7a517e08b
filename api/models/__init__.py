"""Response models, one module per resource, plus the shared list envelope."""
