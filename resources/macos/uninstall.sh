#!/bin/sh
# Removes Unloop from a Mac. For Jamf Pro: Settings → Computer management → Scripts → New, paste this file, and run it
# from a policy (Jamf runs scripts as root and passes $1–$3, which this script ignores). By hand: sudo sh uninstall.sh.
# Boots the LaunchAgent out of every signed-in user's session (which stops Unloop there), quits any other copy, removes
# /Library/LaunchAgents/dev.unloop.app.plist, /Applications/Unloop.app and the installer receipt. It leaves each user's
# data (~/Library/Application Support/Unloop, ~/Library/Logs/Unloop), /Library/Application Support/Unloop/policy.json
# and the configuration profiles: remove those from scope in the MDM.
LABEL=dev.unloop.app
AGENT=/Library/LaunchAgents/$LABEL.plist
APP=/Applications/Unloop.app

if [ "$(/usr/bin/id -u)" -ne 0 ]; then
  echo "uninstall.sh: run as root (sudo)" >&2
  exit 1
fi

# Every GUI session has a loginwindow process owned by its user (launchctl(1): bootout gui/<uid>/<label>).
for uid in $(/bin/ps -axo uid=,comm= | /usr/bin/awk '$1 != 0 && $2 ~ /loginwindow$/ { print $1 }' | /usr/bin/sort -u); do
  /bin/launchctl bootout "gui/$uid/$LABEL" 2>/dev/null || true
done

# Copies not started by the agent (opened by hand, or by an older version's own login item).
if /usr/bin/pgrep -x Unloop >/dev/null 2>&1; then
  /usr/bin/pkill -x Unloop
  i=0
  while /usr/bin/pgrep -x Unloop >/dev/null 2>&1 && [ "$i" -lt 10 ]; do
    /bin/sleep 1
    i=$((i + 1))
  done
  /usr/bin/pkill -9 -x Unloop 2>/dev/null
fi

/bin/rm -f "$AGENT" /private/var/run/$LABEL.relaunch
/bin/rm -rf "$APP"
/usr/sbin/pkgutil --forget "$LABEL" >/dev/null 2>&1 || true
echo "Unloop removed"
exit 0
