#!/usr/bin/env bash
# Installs every Debian package that httpkit's build, tests and benchmarks need.
# Idempotent: packages already present are skipped, so `make test` may call it every time.
set -euo pipefail

# Build and library dependencies (DESIGN.md section 2).
build_pkgs=(
  build-essential cmake ninja-build pkg-config ccache clang libclang-rt-14-dev
  libboost-context-dev libssl-dev libnghttp2-dev libspdlog-dev libfmt-dev
  libtomlplusplus-dev catch2 libcli11-dev libbenchmark-dev zlib1g-dev
  lld  # `httpkit dev` links the app with it when present (docs/decisions/0044)
)
# Real clients the integration tests drive (curl, nghttp/h2load, Node's http2; openssl makes test CAs).
# golang-1.23 (bookworm-backports) has Go 1.22+ ServeMux, the oracle and peer for mux/.
test_pkgs=(curl nghttp2-client nodejs openssl python3 golang-1.23 prometheus chromium)
# Peers and load generators for bench/ (only when asked: CI does not benchmark).
bench_pkgs=(wrk nginx-light golang-go h2o libcpp-httplib-dev hyperfine time)

want=("${build_pkgs[@]}" "${test_pkgs[@]}")
if [[ "${1:-}" == "--bench" ]]; then want+=("${bench_pkgs[@]}"); fi

missing=()
for p in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]} == 0)); then exit 0; fi

sudo=""
if [[ $(id -u) -ne 0 ]]; then sudo="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
# Go 1.22+ is only in bookworm-backports; enable it once.
backports=/etc/apt/sources.list.d/httpkit-backports.sources
if [[ ! -f $backports ]] && ! grep -rqs bookworm-backports /etc/apt/sources.list /etc/apt/sources.list.d/; then
  printf '%s\n' "Types: deb" "URIs: http://deb.debian.org/debian" "Suites: bookworm-backports" \
    "Components: main" "Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg" | $sudo tee $backports >/dev/null
fi
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
