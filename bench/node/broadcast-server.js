'use strict';
// A plain Node.js broadcast server, the baseline of `bench.sh fanout`: it accepts WebSockets on /ws (the `ws`
// package) or Socket.IO clients on /socket.io/ (the `socket.io` package) and, on every POST /broadcast, sends the
// posted count frame, unchanged, to every open socket. No counting, no coalescing, no version check: the least
// a broadcast server can do per update.
//   ws        the ws README's broadcast: client.send(data) per socket (ws frames it per socket, two writes corked)
//   ws-fast   as ws's fastest users write it: the frame (header + payload) made once per update with
//             WebSocket.Sender.frame, then one socket.write of that same Buffer per socket; the bar to beat
//   socketio  io.emit (Socket.IO encodes the packet once; engine.io keeps one write in flight per socket)
// (uWebSockets.js would be the other bar, but it is published on GitHub only, not on the npm registry.)
//
//   node broadcast-server.js --port 9001 [--mode ws|ws-fast|socketio] [--max-seconds 900]
//
// It prints "listening <port>" once ready, exits on SIGTERM/SIGINT, and by itself after --max-seconds.
const http = require('http');

const args = {};
for (let i = 2; i < process.argv.length; i += 2) {
  args[process.argv[i].replace(/^--/, '')] = process.argv[i + 1];
}
const port = Number(args.port || 9001);
const mode = args.mode || 'ws';
const maxSeconds = Number(args['max-seconds'] || 900);

let broadcast;
let sockets;
const server = http.createServer((req, res) => {
  if (req.method === 'POST' && req.url === '/broadcast') {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      broadcast(Buffer.concat(chunks));
      res.writeHead(204).end();
    });
  } else if (req.url === '/health') {
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ sockets: sockets() }));
  } else if (mode !== 'socketio' || !req.url.startsWith('/socket.io/')) {
    res.writeHead(404).end();
  }
});

if (mode === 'ws' || mode === 'ws-fast') {
  const WebSocket = require('ws');
  const { WebSocketServer, OPEN } = WebSocket;
  const wss = new WebSocketServer({ server, path: '/ws', perMessageDeflate: false });
  // ws sets TCP_NODELAY itself; said again here so that no server of the comparison waits on Nagle
  wss.on('connection', (socket, request) => {
    socket.on('error', () => {});
    request.socket.setNoDelay(true);
  });
  sockets = () => wss.clients.size;
  broadcast = mode === 'ws' ? (payload) => {
    // one Buffer for all sockets: the ws README's broadcast
    for (const client of wss.clients) {
      if (client.readyState === OPEN) {
        client.send(payload, { binary: false });
      }
    }
  } : (payload) => {
    // the whole frame once, then one write per socket: no per-socket header, no cork, no send queue
    const frame = Buffer.concat(WebSocket.Sender.frame(payload, { fin: true, opcode: 0x01, mask: false, readOnly: false, rsv1: false }));
    for (const client of wss.clients) {
      if (client.readyState === OPEN) {
        client._socket.write(frame);
      }
    }
  };
} else if (mode === 'socketio') {
  const { Server } = require('socket.io');
  const io = new Server(server, { transports: ['websocket'], perMessageDeflate: false, serveClient: false });
  sockets = () => io.engine.clientsCount;
  // io.emit encodes the packet once and writes it to every socket
  broadcast = (frame) => io.emit('count', JSON.parse(frame.toString('utf8')));
} else {
  console.error('unknown --mode ' + mode + ' (ws, ws-fast or socketio)');
  process.exit(2);
}

server.listen(port, '127.0.0.1', () => console.log('listening ' + port));
const stop = () => process.exit(0);
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
setTimeout(stop, maxSeconds * 1000).unref();
