"""The web server's configuration, in one place: the image's CMD (Dockerfile) and the load
benchmark (bench/load.py) both start gunicorn with ``-c gunicorn.conf.py``."""

bind = "0.0.0.0:8000"
workers = 3
timeout = 60
accesslog = "-"
