#!/usr/bin/env node
import { main } from '../dist/internal/tributaryCli.js';

process.exitCode = await main(process.argv.slice(2));
