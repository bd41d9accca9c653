#!/usr/bin/env node
// The CLI is bundled by `npm run build`; this shim only finds it.
'use strict';
const path = require('node:path');
const fs = require('node:fs');
const bundle = path.join(__dirname, '..', 'out', 'cli', 'org2fa.js');
if (!fs.existsSync(bundle)) {
  process.stderr.write('org2fa: the CLI is not built yet; run npm run build first.\n');
  process.exit(1);
}
require(bundle);
