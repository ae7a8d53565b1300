"""The office's tools: a blank month (month), a third party's workbook imported (importer, with
bounded reading in workbook and biff) and a month's results previewed before committing."""
