"""Build machinery with no Pelican in it: the parse cache, parallel work, warm state.

Opt-in speed: it never changes a byte of the output.
"""
