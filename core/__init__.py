"""The floor every other package stands on: settings, the document schema and its
vocabularies, the limits and formats several packages share.

It imports nothing from the project; everything else may import it (docs/ARCHITECTURE.md).
"""

__version__ = "0.1.0"
