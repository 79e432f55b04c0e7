#!/bin/sh
# install.sh: what `make install` runs (GNU conventions, design.md 6.13).
# Environment from the Makefile: PREFIX BINDIR DATADIR MANDIR SYSCONFDIR
# LOCALSTATEDIR DESTDIR BUILD.
#
# Always: the binaries, the man page (its command list regenerated from
# `modeldeck help`), themes and sample data, the state directory and, only
# when none exists, a minimal system configuration (an existing one is
# never overwritten).  Without DESTDIR and as root it also sets up the
# trust model (docs/security.md): the system group modeldeck, the binary
# root:modeldeck 2755 (setgid), the configuration root-owned, the token
# directory root:modeldeck 0750, the state directory root:modeldeck 2770
# and its database files 0660.  With DESTDIR (a package build) ownership
# and modes are left to the package's scripts, and it says so.
set -eu
: "${PREFIX:?}" "${BINDIR:?}" "${DATADIR:?}" "${MANDIR:?}" "${SYSCONFDIR:?}"
: "${LOCALSTATEDIR:?}" "${BUILD:?}"
DESTDIR=${DESTDIR:-}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
D=$DESTDIR
GROUP=modeldeck
CONF=$SYSCONFDIR/modeldeck
STATE=$LOCALSTATEDIR/modeldeck
SHARE=$DATADIR/modeldeck

say() { printf '  %-6s %s\n' "$1" "$2"; }

install -d -m 0755 "$D$BINDIR" "$D$MANDIR/man1" "$D$SHARE/themes" \
    "$D$SHARE/sample-data" "$D$CONF"
install -d -m 0750 "$D$CONF/tokens"
install -d -m 2770 "$D$STATE"
install -m 0755 "$BUILD/modeldeck-installed" "$D$BINDIR/modeldeck"
say INST "$D$BINDIR/modeldeck"
install -m 0755 "$BUILD/modeldeck-hostd" "$D$BINDIR/modeldeck-hostd"
say INST "$D$BINDIR/modeldeck-hostd"

# The man page's COMMANDS section comes from the command table.
"$BUILD/modeldeck-installed" help 2>/dev/null |
    sed -n 's/^  \([a-z][a-z]*\( [a-z][a-z]*\)\{0,1\}\)  *\(.*\)$/.TP\n.B \1\n\3/p' \
    > "$BUILD/man-commands" || :
awk -v list="$BUILD/man-commands" '
    /^\.\\" commands:begin/ { print; while ((getline l < list) > 0) print l; skip = 1; next }
    /^\.\\" commands:end/ { skip = 0 }
    !skip { print }' "$ROOT/docs/modeldeck.1" > "$BUILD/modeldeck.1"
install -m 0644 "$BUILD/modeldeck.1" "$D$MANDIR/man1/modeldeck.1"
say INST "$D$MANDIR/man1/modeldeck.1"

if [ -n "$(ls -A "$ROOT/themes" 2>/dev/null)" ]; then
	cp -R "$ROOT/themes/." "$D$SHARE/themes/"
fi
cp -R "$ROOT/sample-data/." "$D$SHARE/sample-data/"
chmod -R u=rwX,go=rX "$D$SHARE"
say INST "$D$SHARE (themes, sample-data)"

# A minimal configuration: nobody holds a role until root writes one.
if [ ! -e "$D$CONF/config.json" ]; then
	printf '{\n  "version": 1,\n  "users": {},\n  "hosts": [],\n  "teams": [],\n  "models": []\n}\n' \
	    > "$D$CONF/config.json"
	chmod 0644 "$D$CONF/config.json"
	say INST "$D$CONF/config.json (empty: edit it; see $SHARE/sample-data/config.json)"
else
	say KEEP "$D$CONF/config.json (existing configuration kept)"
fi

if [ -n "$DESTDIR" ]; then
	cat <<MSG
modeldeck: installed under DESTDIR=$DESTDIR without ownership or modes.
  The package's scripts must, on the target system:
    groupadd -r $GROUP                       (if missing)
    chown root:$GROUP $BINDIR/modeldeck && chmod 2755 $BINDIR/modeldeck
    chown -R root:root $CONF && chmod 0755 $CONF && chmod 0644 $CONF/config.json
    chown root:$GROUP $CONF/tokens && chmod 0750 $CONF/tokens
    chown root:$GROUP $STATE && chmod 2770 $STATE
  (docs/security.md explains the model.)
MSG
	exit 0
fi
if [ "$(id -u)" != 0 ]; then
	echo "modeldeck: not root: installed without the $GROUP group and the"
	echo "  setgid bit; a shared host needs \`make install\` as root (docs/security.md)."
	exit 0
fi

if ! getent group "$GROUP" >/dev/null; then
	groupadd -r "$GROUP"
	say GROUP "created system group $GROUP"
fi
chown root:root "$CONF" "$CONF/config.json"
chmod 0755 "$CONF"
chmod go-w "$CONF/config.json"
chown root:"$GROUP" "$CONF/tokens"
chmod 0750 "$CONF/tokens"
chown root:"$GROUP" "$STATE"
chmod 2770 "$STATE"
for f in "$STATE"/modeldeck.db "$STATE"/modeldeck.db-wal "$STATE"/modeldeck.db-shm; do
	[ -e "$f" ] || continue
	chown root:"$GROUP" "$f"
	chmod 0660 "$f"
done
# chown clears the setgid bit, so the mode comes last.
chown root:"$GROUP" "$BINDIR/modeldeck"
chmod 2755 "$BINDIR/modeldeck"
say MODE "$BINDIR/modeldeck root:$GROUP 2755, $STATE root:$GROUP 2770"
