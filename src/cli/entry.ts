#!/usr/bin/env node
// The installed entry point (package.json `bin`), compiled to dist/src/cli/entry.js by `npm run build` and
// started by plain node. From a checkout, `node src/cli/bin.js` runs the same CLI from the sources.
import { main } from './main.ts';

await main(process.argv);
