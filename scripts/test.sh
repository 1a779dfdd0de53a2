#!/usr/bin/env bash
# Runs every test of the project: the Rust workspace (unit, property, integration).
# This is the README's test command and what CI runs after its checks.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo test --workspace --locked
