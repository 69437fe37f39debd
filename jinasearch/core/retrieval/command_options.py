"""Where a `-word` in a query is a command's option (`find -name`, `ls -lah`, `gcc -Wall`), not an exclusion.

People ask how to use commands (docs-dev does: `find -name`, `tar -xzf`, `java -jar`), and read as
exclusions those options would leave out exactly the passages that explain them. A shape alone
cannot tell `find -name` from `jaguar -cars`, and whether the word occurs in the index cannot
either (the passages about `find -name` hold "name"; those about jaguars may well hold "cars"). What
tells them apart is the word before: a command. So a `-word` is an option where it follows a
command named below, or another option (`tar -x -verbose`), or an option's argument or a path in
such a command line (`find . -name x -exec`). Anywhere else it stays an exclusion (`snake -python`,
`find recipes -meat`).

The commands are those whose options are words or bundled letters after one dash; commands with
one-letter options (`python -m`, `set -e`) need no entry, those options stay text anyway. English
words that are also commands and are often typed before an exclusion (cat, file, date, top, head,
less, kill, sort, test) are left out: `cat -dog` is a person excluding dogs.
"""

from __future__ import annotations

import re

COMMANDS = frozenset(
    """
    find ls tar ps grep egrep fgrep rsync cp mv rm ln mkdir chmod chown chgrp du df dd netstat ss lsof
    ssh scp sftp ssh-keygen curl wget sed awk xargs diff uniq wc gcc g++ cc clang clang++ ld nm objdump
    readelf strace ltrace gdb valgrind javac java jar keytool ffmpeg ffprobe openssl unzip zip 7z gzip
    gunzip xz zstd bzip2 ping dig nslookup nmap tcpdump iptables magick mogrify gpg mysql mysqldump psql
    pg_dump sudo nohup pkill killall htop uname lsblk journalctl systemctl shopt ulimit bash zsh sh
    """.split()
)

# `-x`, `-rf`, `--long`: an option a query keeps as text (a letter after the dash, so not -40).
_OPTION_RE = re.compile(r"--?[A-Za-z]")
# `.`, `..`, `~/x`, `/etc`, `src/*.c`, `*.py`: the paths and globs a command line holds.
_PATH_RE = re.compile(r"\.{1,2}|[~./].+|\S*[/*]\S*")


class CommandLine:
    """Follows a query token by token: `option_here` says whether a `-word` at this point is an option."""

    def __init__(self) -> None:
        self.option_here = False
        self._after_option = False  # the last token was an option: this one may be its argument

    def text(self, token: str, *, option: bool = False) -> None:
        """`token`, as typed, stays text (`option`: a `-word` this class took for an option)."""
        argument = self._after_option
        self._after_option = option or _OPTION_RE.match(token) is not None
        if self._after_option or token.casefold() in COMMANDS:
            self.option_here = True
        elif _PATH_RE.fullmatch(token) is None:
            self.option_here = argument

    def operator(self) -> None:
        """An operator (an exclusion, a filter) ends a command line: `jaguar -cars -lions` excludes both."""
        self.option_here = self._after_option = False
