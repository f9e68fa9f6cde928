#!/usr/bin/env node
import { runDataCli } from './data-cli.js';

process.exitCode = await runDataCli(process.argv.slice(2));
