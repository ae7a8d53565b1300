"""The office's tools: blank forms written (month: new-month, new-annual), a third party's workbook
imported (importer, its header found by header, bounded reading in workbook and biff), a month's
results previewed before committing (preview), and what a correction changes (against)."""
