#!/usr/bin/env node
// Azurite's Queue service (node_modules/azurite/dist/src/queue/main.js, the `azurite-queue` bin) for the tests, with
// the same addition as azurite-blob.js: it exits when its stdin closes, so a test host that dies never leaves an
// emulator running. All arguments are passed through, e.g.
//
//   node azurite-queue.js --queueHost 127.0.0.1 --queuePort 0 --location <dir> --disableTelemetry \
//        --skipApiVersionCheck --loose --silent
//
// `--queuePort 0` lets the OS pick a free port; Azurite then prints
// "Azurite Queue service successfully listens on http://127.0.0.1:<port>".
"use strict";

const path = require("path");

if (!process.stdin.isTTY) {
  process.stdin.on("end", () => process.exit(0));
  process.stdin.on("error", () => process.exit(0));
  process.stdin.resume();
}

// main.js parses process.argv itself (from index 2) and starts the server on require.
require(path.join(__dirname, "node_modules", "azurite", "dist", "src", "queue", "main.js"));
