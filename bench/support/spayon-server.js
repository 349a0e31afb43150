'use strict';

/** A standalone Spayon simulator process for the bench: prints its base URL, runs until killed. */
const { join } = require('node:path');
const { SpayonSimulator } = require(join(__dirname, '..', '..', 'dist', 'libs', 'spayon', 'src'));

const credentials = JSON.parse(process.argv[2]);
const simulator = new SpayonSimulator(credentials);
simulator.listen().then((url) => process.stdout.write(`${url}\n`));
process.on('SIGTERM', () => simulator.close().then(() => process.exit(0)));
