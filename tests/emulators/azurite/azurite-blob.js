#!/usr/bin/env node
// Azurite's Blob service (node_modules/azurite/dist/src/blob/main.js, the `azurite-blob` bin) for the tests,
// with one addition: it exits when its stdin closes, so a test host that dies (killed, crashed, debugger
// stopped) never leaves an emulator running. All arguments are passed through, e.g.
//
//   node azurite-blob.js --blobHost 127.0.0.1 --blobPort 0 --location <dir> --disableTelemetry \
//        --skipApiVersionCheck --loose --silent
//
// `--blobPort 0` lets the OS pick a free port; Azurite then prints
// "Azurite Blob service successfully listens on http://127.0.0.1:<port>".
"use strict";

const path = require("path");

if (!process.stdin.isTTY) {
  process.stdin.on("end", () => process.exit(0));
  process.stdin.on("error", () => process.exit(0));
  process.stdin.resume();
}

// main.js parses process.argv itself (from index 2) and starts the server on require.
require(path.join(__dirname, "node_modules", "azurite", "dist", "src", "blob", "main.js"));
