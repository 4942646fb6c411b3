# Mirrors the README's commands; `just` is optional, cargo is all you need.

# Build everything (host + wasm plugins) and serve on SQLite.
serve *ARGS:
    cargo xtask serve {{ARGS}}

# Every test: fmt, clippy, unit + integration (SQLite and PostgreSQL), plugin conformance.
test:
    cargo xtask test

# Build and install the plugins into .mitra/plugins.
plugins:
    cargo xtask plugins

# The plugin_call benchmark (figures go into BENCHMARKS.md).
bench:
    cargo bench -p mitra-tests --bench plugin_call
