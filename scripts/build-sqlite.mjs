#!/usr/bin/env node
// Builds the better-sqlite3 addon only where it is used. Its own install script (download a
// prebuilt addon, else compile SQLite from source: ~160 s where nothing can be downloaded) is
// switched off in package.json (`allowScripts`), because Node 22.16+ and 24 run the embedded SQLite
// on the built-in node:sqlite and never load the addon (src/db/embedded-sqlite.ts). npm runs this
// after every install (`postinstall`); on a Node without a usable node:sqlite (Node 20) it builds
// the addon for that Node. `npm run build:sqlite` runs it by hand, e.g. after switching an
// installation made with Node 24 to Node 20.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const addon = join(root, 'node_modules', 'better-sqlite3');

function hasNodeSqlite() {
  const sqlite = process.getBuiltinModule?.('node:sqlite');
  return typeof sqlite?.StatementSync?.prototype?.columns === 'function';
}

/** Whether the addon opens a database on this Node (in a child: a failed load stays cached). */
function addonLoads() {
  const probe = "const D = require('better-sqlite3'); new D(':memory:').close();";
  return spawnSync(process.execPath, ['-e', probe], { cwd: root, stdio: 'ignore' }).status === 0;
}

const say = (text) => process.stdout.write(`[build-sqlite] ${text}\n`);

if (hasNodeSqlite() && !process.argv.includes('--force')) {
  say(`Node ${process.version} has node:sqlite: the better-sqlite3 addon is not needed, not built.`);
} else if (!existsSync(addon)) {
  say('better-sqlite3 is not installed (an optional dependency): the embedded SQLite needs Node 22.16+.');
} else if (addonLoads()) {
  say(`better-sqlite3 already loads on Node ${process.version}.`);
} else {
  say(
    `building better-sqlite3 for Node ${process.version} (from source where no prebuilt addon is reachable)…`,
  );
  // Its own install script, run explicitly: npm puts node-gyp and prebuild-install on the PATH.
  const result = spawnSync('npm', ['run', 'install'], { cwd: addon, stdio: 'inherit' });
  if (result.status !== 0 || !addonLoads()) {
    // Not fatal to the install: MySQL needs no addon; the bot says what to do if SQLite is asked for.
    say(
      'could not build better-sqlite3: the embedded SQLite will not start on this Node (MySQL still works).',
    );
  } else {
    say('better-sqlite3 built.');
  }
}
