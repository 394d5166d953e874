"""The translation table, one module per part of the app; ``autodiff_viz.i18n`` merges them."""
