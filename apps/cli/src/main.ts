#!/usr/bin/env node
import { processIo } from './cli-io.js';
import { runCli } from './run-cli.js';

const code = await runCli(process.argv.slice(2), processIo());
// Exit once stdout has drained: a pipe reader must get every line, and nothing left running
// (a keep-alive socket, a timer) may hold the process open after start/demo have stopped.
process.stdout.write('', () => process.exit(code));
