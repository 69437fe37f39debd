#!/usr/bin/env bash
# Time from launch to the main window being mapped, launching the way the desktop does (the installed
# desktop entry's Exec line), as a fresh user under a virtual X server. Run as root after installing the .deb:
#   packaging/measure_startup.sh [RUNS] [USER]      defaults: 5 runs, user jsuser (created if missing)
# "cold" drops the page cache first (needs root and a writable /proc/sys/vm/drop_caches); "warm" does not.
set -euo pipefail
RUNS="${1:-5}"
RUNUSER="${2:-jsuser}"
DESKTOP=/usr/share/applications/jinasearch.desktop
DISPLAY_NUM="${DISPLAY_NUM:-:97}"  # another X server may already own :97: pass a free one
EXEC="${EXEC:-$(sed -n "s/^Exec=//p" "$DESKTOP" | sed "s/ *%[fFuU]//g")}"  # EXEC=... compares another launch command
id "$RUNUSER" >/dev/null 2>&1 || useradd -m "$RUNUSER"
Xvfb "$DISPLAY_NUM" -screen 0 1280x800x24 -ac -nolisten tcp >/dev/null 2>&1 &
XVFB=$!
trap 'kill $XVFB 2>/dev/null' EXIT
sleep 1

visible() { DISPLAY="$DISPLAY_NUM" xdotool search --onlyvisible --name '^jinasearch$' 2>/dev/null | head -1; }

launch_once() {  # prints seconds from exec to the first visible main window
  local t0 t1 pid win app
  for _ in $(seq 100); do [ -z "$(visible)" ] && break; sleep 0.1; done  # the last run's window is gone
  t0=$(date +%s.%N)
  runuser -u "$RUNUSER" -- env DISPLAY="$DISPLAY_NUM" HOME="$(getent passwd "$RUNUSER" | cut -d: -f6)" \
    sh -c "exec $EXEC" >/dev/null 2>&1 &
  pid=$!
  until win="$(visible)"; [ -n "$win" ]; do
    sleep 0.02
    if ! kill -0 "$pid" 2>/dev/null; then echo "the app exited before showing a window" >&2; return 1; fi
  done
  t1=$(date +%s.%N)
  app="$(DISPLAY="$DISPLAY_NUM" xdotool getwindowpid "$win")"  # the app's own pid, from _NET_WM_PID
  kill "$app"; wait "$pid" 2>/dev/null || true
  echo "$t1 - $t0" | bc -l | xargs printf "%.2f\n"
}

can_drop=no
if sync && echo 3 > /proc/sys/vm/drop_caches 2>/dev/null; then can_drop=yes; fi
echo "exec: $EXEC  user: $RUNUSER  drop_caches: $can_drop"
for i in $(seq "$RUNS"); do
  if [ "$can_drop" = yes ]; then sync; echo 3 > /proc/sys/vm/drop_caches; echo "cold $(launch_once)"; fi
done
launch_once >/dev/null  # prime the cache
for i in $(seq "$RUNS"); do echo "warm $(launch_once)"; done
