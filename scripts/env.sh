# Sourced by the scripts: puts the installed tools on PATH and keeps Trunk from downloading.
export PATH="$HOME/.cargo/bin:$(pwd)/node_modules/.bin:$PATH"
export TRUNK_OFFLINE=true
export CHROMEDRIVER=/usr/bin/chromedriver
export CHROMIUM=/usr/bin/chromium
