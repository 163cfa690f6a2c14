#!/usr/bin/env node
import { run } from './program.js';

// A reader that goes away (`rxzk tree / | head`) is not an error.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});

process.exitCode = await run(process.argv);
