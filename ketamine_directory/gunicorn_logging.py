"""
gunicorn's logger, kept to what the site's own logs may hold (gunicorn.conf.py).

The app writes the one line per request, so gunicorn's access log is off. If it
is turned on anyway (`--access-logfile -`), even with gunicorn's default format,
its lines hold no query string (searches carry ZIP codes), no link's token and
no query string of the page a visitor came from; its error log's lines (an
invalid request line is quoted in them) lose their tokens too.
"""

from gunicorn.glogging import Logger

from ketamine_directory.log_redaction import RedactTokens, redact

_REDACT = RedactTokens()


class RedactingLogger(Logger):
    def setup(self, cfg):
        super().setup(cfg)
        for log in (self.error_log, self.access_log):
            log.addFilter(_REDACT)  # once: the same filter is not added twice

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        path = redact(environ.get("PATH_INFO") or "")
        atoms["r"] = f"{environ['REQUEST_METHOD']} {path} {environ['SERVER_PROTOCOL']}"
        atoms["U"] = path
        atoms["q"] = "-"
        for name in ("f", "{referer}i"):
            if isinstance(atoms.get(name), str):
                atoms[name] = atoms[name].split("?", 1)[0]
        return {
            name: redact(value) if isinstance(value, str) else value
            for name, value in atoms.items()
        }
