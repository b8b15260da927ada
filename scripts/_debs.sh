# shellcheck shell=bash
# Debian packages of any architecture, downloaded with their dependencies and unpacked into a
# folder of this repository's, without installing anything: through an apt state of its own
# (architecture, package lists, an empty dpkg status), from this machine's own apt sources. The
# machine's dpkg database, its architectures and its apt lists are left alone, and it works for
# any user. Sourced by scripts/wheel (Debian's musl, for auditing the musllinux wheels) and
# scripts/test-wheel (qemu-user-static and an arm64 Python, for the aarch64 wheel).
# Honors DEBS_DIR (default target/debs: the apt states and the downloaded .debs, kept between runs).
DEBS_DIR=${DEBS_DIR:-$PWD/target/debs}

# _debs_apt ARCH ARGS...: apt-get on the state of Debian architecture ARCH.
_debs_apt() {
    local arch=$1 state=$DEBS_DIR/apt-$1
    shift
    mkdir -p "$state/lists/partial"
    [ -f "$state/status" ] || : >"$state/status"  # nothing installed: every dependency comes
    apt-get -q -o APT::Architecture="$arch" -o APT::Architectures::="$arch" \
        -o Dir::State="$state" -o Dir::State::Lists="$state/lists" \
        -o Dir::State::status="$state/status" -o Dir::Cache="$state" \
        -o Debug::NoLocking=1 -o APT::Sandbox::User="$(id -un)" "$@"
}

# debs_fetch ARCH DIR PACKAGE...: the .debs of PACKAGEs and of everything they depend on (not
# what they only recommend), for ARCH, into DIR. Reads the package lists once (about 14 MB), and
# again when a download fails (a list older than the archive).
debs_fetch() {
    local arch=$1 dir=$2
    shift 2
    mkdir -p "$dir/partial"
    if ! compgen -G "$DEBS_DIR/apt-$arch/lists/*_Packages" >/dev/null; then
        _debs_apt "$arch" update >/dev/null
    fi
    local install=(install -y --download-only --no-install-recommends
        -o Dir::Cache::archives="$dir" "$@")
    _debs_apt "$arch" "${install[@]}" >/dev/null || {
        _debs_apt "$arch" update >/dev/null
        _debs_apt "$arch" "${install[@]}" >/dev/null
    }
}

# debs_unpack ARCH DEST PACKAGE...: PACKAGEs and their dependencies unpacked into DEST (dpkg -x:
# no maintainer scripts run). Kept and reused while DEST/.debs-stamp names the same packages.
debs_unpack() {
    local arch=$1 dest=$2
    shift 2
    local stamp="$arch $*"
    if [ -f "$dest/.debs-stamp" ] && [ "$(cat "$dest/.debs-stamp")" = "$stamp" ]; then
        return 0
    fi
    rm -rf "$dest" "$dest.debs"
    debs_fetch "$arch" "$dest.debs" "$@"
    mkdir -p "$dest"
    local deb
    for deb in "$dest.debs"/*.deb; do dpkg -x "$deb" "$dest"; done
    rm -rf "$dest.debs"
    printf '%s\n' "$stamp" >"$dest/.debs-stamp"
}

# debs_source DIR PACKAGE...: the source packages of PACKAGEs (NAME or NAME/SUITE) into DIR, not
# unpacked (the .orig tarballs are upstream's sources), from the deb-src twins of this machine's
# own apt sources.
debs_source() {
    local dir=$1 state=$DEBS_DIR/apt-source
    shift
    mkdir -p "$dir" "$state/lists/partial" "$state/sources.d"
    [ -f "$state/status" ] || : >"$state/status"
    local file
    for file in /etc/apt/sources.list /etc/apt/sources.list.d/*.list \
        /etc/apt/sources.list.d/*.sources; do
        [ -f "$file" ] || continue
        sed -e 's/^deb \(.*\)/deb-src \1/' -e 's/^Types: deb$/Types: deb-src/' "$file" \
            >"$state/sources.d/$(basename "$file")"
    done
    local apt=(apt-get -q -o Dir::State="$state" -o Dir::State::Lists="$state/lists"
        -o Dir::State::status="$state/status" -o Dir::Cache="$state"
        -o Dir::Etc::sourcelist=/dev/null -o Dir::Etc::sourceparts="$state/sources.d"
        -o Debug::NoLocking=1 -o APT::Sandbox::User="$(id -un)")
    if ! compgen -G "$state/lists/*_Sources" >/dev/null; then "${apt[@]}" update >/dev/null; fi
    (cd "$dir" && "${apt[@]}" source --download-only "$@" >/dev/null)
}
