"""The site: the Pelican plugin (plugin, the only module that imports pelican), the page data
(views, pages, chart, html, format, revisions), the /data/ files (publish), the cleaning of
content/ (contentcheck, sanitize) and a whole build into --out (build)."""
