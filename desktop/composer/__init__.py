"""The guided response composer: steps as data, checks with spans, jinja2 rendering, versioned drafts, export.

No widgets here: the wizard in desktop/ui/composer_dialog.py, the CLI and the tests all use this core.
"""
