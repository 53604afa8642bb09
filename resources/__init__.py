"""Icons, templates, lexicon and demo data, found with importlib.resources so an installed wheel works too."""
