// An HTTP/2 client on Node's http2 module for httpkit's integration tests.
//   node client.js URL SCENARIO
// SCENARIO:
//   trailers  POST /echo with a body streamed in 3 pieces and a request trailer
//             (x-sum); prints the response status, body and trailers as JSON.
//   rst       POST /hold, sends part of a body, then RST_STREAM(CANCEL); prints
//             {"closed":true,"rstCode":8} once the stream is closed.
'use strict';
const http2 = require('http2');

const [url, scenario] = process.argv.slice(2);
const session = http2.connect(url, { rejectUnauthorized: false });
session.on('error', (e) => { console.error('session error', e.message); process.exit(2); });

function trailers() {
  const req = session.request({ ':method': 'POST', ':path': '/echo', 'content-type': 'text/plain' },
                              { waitForTrailers: true });
  req.on('wantTrailers', () => req.sendTrailers({ 'x-sum': '42' }));
  const out = { status: 0, body: '', trailers: {}, headers: {} };
  req.on('response', (h) => { out.status = h[':status']; out.headers = h; });
  req.on('trailers', (t) => { out.trailers = t; });
  req.setEncoding('utf8');
  req.on('data', (d) => { out.body += d; });
  req.on('end', () => { console.log(JSON.stringify(out)); session.close(); });
  const parts = ['first,', 'second,', 'third'];
  let i = 0;
  const next = () => {
    if (i < parts.length) { req.write(parts[i++]); setTimeout(next, 30); } else { req.end(); }
  };
  next();
}

function rst() {
  const req = session.request({ ':method': 'POST', ':path': '/hold' });
  req.write('some of the body');
  req.on('close', () => {
    console.log(JSON.stringify({ closed: true, rstCode: req.rstCode }));
    session.close();
  });
  req.on('error', () => {});
  setTimeout(() => req.close(http2.constants.NGHTTP2_CANCEL), 200);
}

({ trailers, rst }[scenario] || (() => { console.error('unknown scenario'); process.exit(2); }))();
