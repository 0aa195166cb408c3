# Sourced by the fetch scripts: ensure_pip WHO WHAT makes "$python" a Python with pip, installing
# Debian's python3-pip when running as root, else stops naming what is missing. pip is needed
# only when something has to be downloaded. Sets pip_ready=1 once it has checked.
pip_ready=0
ensure_pip() { # WHO WHAT
    [[ $pip_ready -eq 1 ]] && return 0
    if ! "$python" -m pip --version >/dev/null 2>&1; then
        if command -v apt-get >/dev/null 2>&1 && [[ "$(id -u)" == 0 ]]; then
            echo "$1: installing python3-pip (apt-get)"
            apt-get update -qq >/dev/null && apt-get install -y -qq python3-pip >/dev/null
            python=/usr/bin/python3
        fi
        if ! "$python" -m pip --version >/dev/null 2>&1; then
            echo "$1: $python with pip is needed to download $2" >&2
            exit 1
        fi
    fi
    pip_ready=1
}
