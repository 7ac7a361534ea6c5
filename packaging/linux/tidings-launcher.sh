#!/bin/sh
# /usr/bin/tidings from the Tidings .deb: the app lives in /opt/tidings.
exec /opt/tidings/tidings "$@"
