'use strict';
// Stand-in for spdy (see package.json). restify calls spdy.createServer() only when a `spdy` option is passed.
function unsupported() {
  throw new Error('HTTP/2 via spdy is not available in Meldwijzer (vendor/spdy is a stand-in); run behind a TLS/HTTP2 proxy instead.');
}
module.exports = { createServer: unsupported, Server: unsupported, Agent: unsupported, createAgent: unsupported };
