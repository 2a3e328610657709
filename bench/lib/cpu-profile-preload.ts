/**
 * A preload script (for `NODE_OPTIONS=--require <file>`) that CPU-profiles a Node process with the
 * inspector and writes a `.cpuprofile` into a directory when it exits. Needed because Node refuses
 * `--cpu-prof` in NODE_OPTIONS, and Terraform starts the plugin itself (through the launcher).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Writes the preload script for profiles into `profileDir`; returns the script's path. */
export function writeProfilePreload(scriptDir: string, profileDir: string): string {
  mkdirSync(scriptDir, { recursive: true });
  mkdirSync(profileDir, { recursive: true });
  const path = join(scriptDir, 'keyform-cpu-profile.js');
  writeFileSync(
    path,
    `'use strict';
// Nothing may reach stdout: Terraform reads the plugin's handshake line from it.
const inspector = require('node:inspector');
const fs = require('node:fs');
const path = require('node:path');
const session = new inspector.Session();
session.connect();
session.post('Profiler.enable');
session.post('Profiler.setSamplingInterval', { interval: 500 });
session.post('Profiler.start');
process.on('exit', () => {
  // Same-thread inspector sessions answer synchronously, so this runs to completion inside 'exit'.
  session.post('Profiler.stop', (err, res) => {
    if (!err) fs.writeFileSync(path.join(${JSON.stringify(profileDir)}, 'plugin-' + process.pid + '.cpuprofile'), JSON.stringify(res.profile));
  });
});
`,
  );
  return path;
}
