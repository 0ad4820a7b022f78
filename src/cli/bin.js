#!/usr/bin/env node
// The published entry point. The product is written in TypeScript and run through tsx's loader, so that
// `npx oss-pai-sync` works straight from a checkout without a build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('./main.ts');
await main(process.argv);
