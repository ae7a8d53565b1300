"""Settings for publishing: the real address and the data repository, from the environment.

    flagboard build --settings publishconf.py

FLAGBOARD_SITEURL is the site's absolute address (http:// or https://, a trailing slash is
dropped); without it the build refuses to publish. In CI the workflow's build step sets it, and
the data repository's address, for the commit links, comes from the forge: GITHUB_SERVER_URL and
GITHUB_REPOSITORY on GitHub, Forgejo and Gitea (their runners set both), CI_PROJECT_URL on GitLab.
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pelicanconf import *  # noqa: E402,F403

# Building for publication: a shallow clone (incomplete history) fails the build instead of
# only warning, as a local preview with pelicanconf.py does.
FLAGBOARD_PUBLISH = True
# Without FLAGBOARD_SITEURL the address is empty and `flagboard build` refuses to publish.
SITEURL = os.environ.get("FLAGBOARD_SITEURL", "").strip().rstrip("/")
RELATIVE_URLS = False

if os.environ.get("GITHUB_REPOSITORY"):
    FLAGBOARD_REPO_URL = "{}/{}".format(
        os.environ.get("GITHUB_SERVER_URL", "https://github.com"), os.environ["GITHUB_REPOSITORY"]
    )
elif os.environ.get("CI_PROJECT_URL"):  # GitLab: a project's pages are under /-/ (…/-/commit/SHA)
    FLAGBOARD_REPO_URL = os.environ["CI_PROJECT_URL"].rstrip("/") + "/-"
