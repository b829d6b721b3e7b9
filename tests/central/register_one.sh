#!/usr/bin/env bash
# register_one.sh DB CONFIG CNIC NAME - one household registered by typing
# it into the real kiosk (tests/screen/lib.sh's register_household, in
# tmux): the honest path, for the one record a central test wants made
# exactly as a clerk makes it. Prints the tracking ID from the receipt.
# Must never touch anything but DB (and the screen lib's own temp dir).
. "$(dirname "$0")/../screen/lib.sh"
# shellcheck disable=SC2034 # read by the screen lib
DB=$1
# shellcheck disable=SC2034
CONF=$2
start_kiosk 80 24
register_household "$3" "$4"
keys Escape
stop_kiosk
echo "$TID"
